import Engine
import Foundation
import Testing
import Zoo

struct WeightsTests {
    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("zoo-\(UUID().uuidString)-\(name)").path
    }

    @Test(arguments: [
        DetectorSpec.yolov5n,
        DetectorSpec(backbone: BackboneSpec(.mobilenetv3Small), neck: .panASPP(rates: [1, 2, 3]), classes: 3),
    ])
    func saveThenLoadGivesIdenticalOutputs(_ spec: DetectorSpec) throws {
        let path = temporaryPath("weights.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let trained = Detector(spec: spec, seed: 1)
        calibrate(trained, seed: 2)
        try trained.saveWeights(to: path)
        let loaded = Detector(spec: spec, seed: 99).eval()
        try loaded.loadWeights(from: path)
        let x = testImages([1, 3, 64, 64], seed: 3)
        let (a, b) = Autograd.withoutGrad { (flat(trained(x)), flat(loaded(x))) }
        #expect(a.scalars == b.scalars)
        #expect(zip(trained.stateDict(), loaded.stateDict()).allSatisfy { $0.name == $1.name && $0.tensor.scalars == $1.tensor.scalars })
    }

    @Test func loadingAnotherModelNamesTheDifferences() throws {
        let path = temporaryPath("yolov5n.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Detector(spec: .yolov5n).saveWeights(to: path)

        let threeClasses = Detector(spec: DetectorSpec(backbone: BackboneSpec(.cspdarknet), neck: .panSPPF, classes: 3))
        let before = threeClasses.detect.heads[0].weight.scalars
        #expect {
            try threeClasses.loadWeights(from: path)
        } throws: { error in
            "\(error)".contains("wrong shape detect.heads.0.bias ([255] in the file, [24] expected)")
        }
        #expect(threeClasses.detect.heads[0].weight.scalars == before, "a failed load must change nothing")

        let ghost = Detector(spec: DetectorSpec(backbone: BackboneSpec(.ghostnet), neck: .panSPPF))
        #expect {
            try ghost.loadWeights(from: path)
        } throws: { error in
            let message = "\(error)"
            return message.contains("missing backbone.layers.") && message.contains("unexpected backbone.layers.")
        }

        let fused = Detector(spec: .yolov5n)
        fused.fuse()
        #expect {
            try fused.loadWeights(from: path)
        } throws: { error in
            "\(error)".contains("unexpected backbone.layers.0.bn.bias")
        }
    }
}
