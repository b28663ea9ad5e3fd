import Foundation

/// Builds an epoch's augmented batches on background threads while the engine computes, at most
/// `depth` batches ahead, and hands them out in order.
///
/// Which images form batch k, and how each is augmented, depends only on (seed, epoch, k): never
/// on thread timing. Batches before `startBatch` (a resumed epoch) are skipped without being built.
public final class TrainLoader: @unchecked Sendable {
    public let batchCount: Int
    private let order: [Int]
    private let batchSize: Int
    private let make: @Sendable (_ index: Int) -> TrainingSample
    private let condition = NSCondition()
    private var ready: [Int: Batch] = [:]
    private var next: Int
    private var consumed: Int
    private let depth: Int
    private var stopped = false
    private var threads: [Thread] = []
    private var building = 0.0, waiting = 0.0

    /// CPU seconds the workers have spent building batches: the share of the cores the loader
    /// takes from the training step.
    public var buildSeconds: Double { condition.lock(); defer { condition.unlock() }; return building }
    /// Seconds `nextBatch` has waited for a batch that was not built yet.
    public var waitSeconds: Double { condition.lock(); defer { condition.unlock() }; return waiting }

    /// The epoch's shuffled order (`torch.randperm` of the seed and epoch; drop_last false).
    public static func shuffledOrder(count: Int, seed: UInt64, epoch: Int) -> [Int] {
        var rng = SampleRandom(seed: seed ^ 0x5348_5546_464C_4531, epoch: epoch, index: 0)
        var order = Array(0..<count)
        for i in stride(from: count - 1, to: 0, by: -1) { order.swapAt(i, rng.int(below: i + 1)) }
        return order
    }

    public init(store: ImageStore, settings: AugmentSettings, size: Int, batchSize: Int, seed: UInt64, epoch: Int,
                startBatch: Int = 0, workers: Int = 1, depth: Int = 3) {
        order = Self.shuffledOrder(count: store.dataset.count, seed: seed, epoch: epoch)
        self.batchSize = batchSize
        batchCount = (order.count + batchSize - 1) / batchSize
        next = startBatch
        consumed = startBatch
        self.depth = depth
        make = { index in TrainingSample.make(index: index, store: store, settings: settings, size: size, seed: seed, epoch: epoch) }
        for _ in 0..<max(1, workers) {
            let thread = Thread { [weak self] in self?.work() }
            thread.qualityOfService = .userInitiated
            threads.append(thread)
            thread.start()
        }
    }

    deinit { stop() }

    /// Stops the workers; batches not yet taken are dropped.
    public func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// Batch `k`, in order; waits for it if it is not built yet. Nil after the last.
    public func nextBatch() -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        guard consumed < batchCount else { return nil }
        if ready[consumed] == nil {
            let began = Date()
            while ready[consumed] == nil { condition.wait() }
            waiting += Date().timeIntervalSince(began)
        }
        let batch = ready.removeValue(forKey: consumed)
        consumed += 1
        condition.broadcast()
        return batch
    }

    private func work() {
        while true {
            condition.lock()
            while !stopped && next < batchCount && next - consumed >= depth { condition.wait() }
            if stopped || next >= batchCount {
                condition.unlock()
                return
            }
            let k = next
            next += 1
            condition.unlock()
            let began = Self.threadCPUSeconds()
            let indices = Array(order[(k * batchSize)..<min(order.count, (k + 1) * batchSize)])
            let samples = indices.map(make)
            let batch = Batch(images: samples.map(\.image), labels: samples.map(\.labels), indices: indices)
            let spent = Self.threadCPUSeconds() - began
            condition.lock()
            building += spent
            ready[k] = batch
            condition.broadcast()
            condition.unlock()
        }
    }

    /// CPU seconds the calling thread has run.
    private static func threadCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
