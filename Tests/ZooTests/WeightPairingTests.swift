import Foundation
import Testing
import Engine
import Zoo

/// Every backbone with published ImageNet weights pairs with its reference's full state dict (the
/// names and shapes torch printed for the real models, Fixtures/reference-state-dicts.json, written
/// by bench/torch_fixtures.py), head keys ignored; a file that misses or misfits a tensor is refused.
struct WeightPairingTests {
    struct Reference: Decodable {
        let tensors: [Entry]
        struct Entry: Decodable {
            let name: String, shape: [Int]
            init(from decoder: Decoder) throws {
                var c = try decoder.unkeyedContainer()
                (name, shape) = (try c.decode(String.self), try c.decode([Int].self))
            }
        }
        var list: [(name: String, shape: [Int])] { tensors.map { ($0.name, $0.shape) } }
    }

    static let references: [String: Reference] = {
        struct File: Decodable { let models: [String: Reference] }
        let path = Bundle.module.path(forResource: "reference-state-dicts", ofType: "json", inDirectory: "Fixtures")!
        return try! JSONDecoder().decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: path))).models
    }()

    static let published = BackboneSpec.all.filter { ReferenceWeights.of($0) != nil }

    static func trunk(_ spec: BackboneSpec) -> [(name: String, shape: [Int])] {
        var rng = Philox(seed: 0)
        return spec.makeBackbone(rng: &rng).stateDictInModuleOrder().map { ($0.name, $0.tensor.shape.dims) }
    }

    @Test(arguments: published)
    func pairsWithItsReference(spec: BackboneSpec) throws {
        let weights = try #require(ReferenceWeights.of(spec))
        let reference = try #require(Self.references[weights.model], "no names for \(weights.model)")
        let result = try WeightPairing.pair(ours: Self.trunk(spec), reference: reference.list, weights: weights)
        #expect(result.pairs.count == Self.trunk(spec).count)
        let head = reference.list.filter { key, _ in weights.headPrefixes.contains { key.dropPrefix(weights.stripPrefix).hasPrefix($0) } }
        #expect(result.ignoredHeadKeys == head.count && head.count > 0)
    }

    @Test func everyBackboneButCSPDarknetAtItsDefaultWidthHasPublishedWeights() {
        #expect(BackboneKind.allCases.filter { ReferenceWeights.of(BackboneSpec($0)) == nil } == [.cspdarknet])
        #expect(ReferenceWeights.of(try! BackboneSpec(parsing: "mobilenetv2@0.5")) == nil)
    }

    @Test func aMissingOrMisfitTensorIsNamed() throws {
        let spec = BackboneSpec(.mobilenetv2), weights = try #require(ReferenceWeights.of(spec))
        let full = try #require(Self.references[weights.model]).list
        let ours = Self.trunk(spec)
        func refusal(_ list: [(name: String, shape: [Int])]) -> String {
            do {
                _ = try WeightPairing.pair(ours: ours, reference: list, weights: weights)
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        var missing = full
        missing.remove(at: 1)  // features.0.1.weight: its bias moves up into the weight's place
        #expect(refusal(missing) == "not torchvision.mobilenet_v2's weights: features.0.1.bias [32] does not fit \(ours[1].name) [32]")
        var misshapen = full
        misshapen[0].shape = [1, 2, 3, 4]
        #expect(refusal(misshapen).hasSuffix("features.0.0.weight [1, 2, 3, 4] does not fit \(ours[0].name) [32, 3, 3, 3]"))
        // 10 keys, one of them num_batches_tracked: 9 trunk tensors
        #expect(refusal(Array(full.prefix(10))).contains("the file has 9 trunk tensors, the trunk needs \(ours.count)"))
    }
}

extension String {
    func dropPrefix(_ prefix: String?) -> Substring {
        guard let prefix, hasPrefix(prefix) else { return self[...] }
        return dropFirst(prefix.count)
    }
}
