import Engine
import Testing
import Zoo

struct ModuleTests {
    @Test func trainAndEvalReachEveryBatchNorm() {
        let model = Detector(spec: DetectorSpec(backbone: BackboneSpec(.ghostnet), neck: .panSPPF))
        let norms = model.namedModules().compactMap { $0.module as? BatchNorm2d }
        #expect(!norms.isEmpty && norms.allSatisfy { $0.training })
        model.eval()
        #expect(norms.allSatisfy { !$0.training })
        // YOLOv5 initialize_weights: eps 1e-3, momentum 0.03 on every BatchNorm of a detector.
        #expect(norms.allSatisfy { $0.eps == 1e-3 && $0.momentum == 0.03 })
    }

    @Test func buffersAreNotParameters() {
        let model = Detector(spec: .yolov5n)
        let buffers = Set(model.namedBuffers().map(\.name))
        #expect(buffers.contains("backbone.layers.0.bn.runningVar"))
        #expect(!model.namedParameters().contains { buffers.contains($0.name) })
        #expect(model.parameters().allSatisfy { $0.requiresGrad })
        model.setRequiresGrad(false)
        #expect(model.trainableParameterCount == 0 && model.parameterCount == 1_872_157)
    }

    @Test func gradientsReachEveryParameter() {
        let model = Detector(spec: DetectorSpec(backbone: BackboneSpec(.shufflenetv1), neck: .panASPP(rates: [1, 2]), classes: 2))
        let raw = model(testImages([2, 3, 64, 64], seed: 3))
        var loss = sum(raw[0])
        for p in raw.dropFirst() { loss = loss + sum(p) }
        loss.backward()
        let missing = model.namedParameters().filter { $0.tensor.grad == nil }.map(\.name)
        #expect(missing.isEmpty, "no gradient for \(missing.prefix(5))")
    }

    @Test func sameSeedSameWeights() {
        let a = Detector(spec: .yolov5n, seed: 3), b = Detector(spec: .yolov5n, seed: 3), c = Detector(spec: .yolov5n, seed: 4)
        let (pa, pb, pc) = (a.parameters(), b.parameters(), c.parameters())
        #expect(zip(pa, pb).allSatisfy { $0.scalars == $1.scalars })
        #expect(!zip(pa, pc).allSatisfy { $0.scalars == $1.scalars })
    }
}
