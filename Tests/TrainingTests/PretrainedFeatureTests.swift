import Engine
import Foundation
import Testing
import Training
import Zoo

/// The published weights land where the reference has them: each reference model with random
/// weights, saved by torch (bench/pretrained_check.py writes them into the folder named by
/// STUDYCTL_PRETRAINED_CHECK), loaded into the zoo's trunk, gives the reference trunk's output to
/// 1e-5 relative. Without the folder (CI has no PyTorch) the test is skipped; the names and
/// shapes are checked in CI by ZooTests' WeightPairingTests.
struct PretrainedFeatureTests {
    static let folder = ProcessInfo.processInfo.environment["STUDYCTL_PRETRAINED_CHECK"]

    struct Shapes: Decodable { let input: [Int], output: [Int] }

    static func floats(_ path: String) throws -> [Float] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    @Test(.enabled(if: folder != nil), arguments: BackboneSpec.all.filter { ReferenceWeights.of($0) != nil })
    func trunkEqualsTheReference(spec: BackboneSpec) throws {
        let weights = try #require(ReferenceWeights.of(spec)), base = Self.folder! + "/" + weights.model
        guard FileManager.default.fileExists(atPath: base + ".pth") else {
            Issue.record("\(base).pth missing: run bench/pretrained_check.py")
            return
        }
        var rng = Philox(seed: 5)
        let backbone = spec.makeBackbone(rng: &rng)
        let loaded = try PretrainedWeights.load(try PretrainedWeights.source(base + ".pth"), into: backbone, spec: spec)
        #expect(loaded.tensors == backbone.stateDict().count)
        _ = backbone.eval()
        let shapes = try JSONDecoder().decode(Shapes.self, from: Data(contentsOf: URL(fileURLWithPath: base + ".json")))
        let x = Tensor(try Self.floats(base + ".input.bin"), shape: Shape(shapes.input))
        let y = Autograd.withoutGrad { backbone(x) }
        let expected = try Self.floats(base + ".output.bin")
        #expect(y.shape.dims == shapes.output)
        let scale = expected.map(abs).max() ?? 1
        let worst = zip(y.scalars, expected).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst / scale <= 1e-5, "\(spec): max difference \(worst) of \(scale)")
    }
}
