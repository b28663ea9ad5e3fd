import Detection
import Engine
import Foundation
import Testing

/// The training loader: each epoch's batches in the shuffled order, the same bits whatever the
/// worker count, and a resumed epoch's batches equal to an uninterrupted one's.
struct TrainLoaderTests {
    /// Ten easy shapes at 64 px, written and read back as a training store.
    static func store() throws -> ImageStore {
        let dir = NSTemporaryDirectory() + "loader-\(UUID().uuidString)"
        try ShapesDataset.write(to: dir, train: 10, val: 2, imageSize: 64, seed: 4, preset: .easy)
        let train = try DetectionDataset.load(try DataYAML.load(dir + "/data.yaml"), split: "train")
        let store = ImageStore(train, imageSize: 64, forTraining: true)
        #expect(store.cacheAll().isEmpty)
        return store
    }

    static func batches(_ loader: TrainLoader) -> [Batch] {
        var out: [Batch] = []
        while let b = loader.nextBatch() { out.append(b) }
        return out
    }

    static func same(_ a: [Batch], _ b: [Batch]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { x, y in
            x.indices == y.indices && x.targets == y.targets && x.images.shape == y.images.shape
                && Array(UnsafeBufferPointer(start: x.images.data, count: x.images.count))
                == Array(UnsafeBufferPointer(start: y.images.data, count: y.images.count))
        }
    }

    @Test func batchesFollowTheShuffledOrderWithAShortLastBatch() throws {
        let store = try Self.store()
        let loader = TrainLoader(store: store, settings: AugmentSettings(), size: 64, batchSize: 4, seed: 7, epoch: 2)
        let batches = Self.batches(loader)
        #expect(batches.map(\.indices.count) == [4, 4, 2])
        let order = TrainLoader.shuffledOrder(count: 10, seed: 7, epoch: 2)
        #expect(batches.flatMap(\.indices) == order && Set(order) == Set(0..<10))
        #expect(order != TrainLoader.shuffledOrder(count: 10, seed: 7, epoch: 3), "each epoch shuffles anew")
        #expect(batches.allSatisfy { $0.images.shape == [$0.indices.count, 3, 64, 64] })
        #expect(loader.nextBatch() == nil)
    }

    @Test func workersAndResumingDoNotChangeTheBits() throws {
        let store = try Self.store()
        func loader(workers: Int, start: Int = 0, depth: Int = 3) -> TrainLoader {
            TrainLoader(store: store, settings: AugmentSettings(), size: 64, batchSize: 3, seed: 1, epoch: 0,
                        startBatch: start, workers: workers, depth: depth)
        }
        let one = Self.batches(loader(workers: 1))
        #expect(Self.same(one, Self.batches(loader(workers: 3, depth: 1))), "3 workers, one batch ahead: the same batches")
        #expect(Self.same(Array(one.dropFirst(2)), Self.batches(loader(workers: 2, start: 2))), "a resumed epoch starts at its batch")
        let other = Self.batches(TrainLoader(store: store, settings: AugmentSettings(), size: 64, batchSize: 3, seed: 2, epoch: 0))
        #expect(!Self.same(one, other), "another seed, other batches")
    }
}
