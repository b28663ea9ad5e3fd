import Engine
import Testing
import Training
import Zoo

/// YOLOv5's --freeze: freeze 10 on cspdarknet stops exactly model.0–9 (the backbone and SPPF), and
/// a backward pass then gives those parameters no gradient and every other one a gradient.
struct FreezeTests {
    @Test func freezeTenStopsTheBackboneAndSPPF() {
        let model = Detector(spec: DetectorSpec(backbone: BackboneSpec(.cspdarknet), neck: .panSPPF, classes: 3), seed: 0)
        #expect(Freeze.layers(BackboneSpec(.cspdarknet)) == 10)
        let frozen = Freeze.apply(model, first: 10)
        let expected = model.namedParameters().filter { $0.name.hasPrefix("backbone.") || $0.name.hasPrefix("neck.context.") }
        #expect(frozen == expected.count && frozen > 0)
        _ = model.train()
        var rng = Philox(seed: 1)
        let outputs = model(Tensor(rng.uniform(2 * 3 * 64 * 64), shape: [2, 3, 64, 64]))
        outputs.map { sum($0) }.reduce(Tensor(zeros: [1])) { $0 + $1 }.backward()
        for (name, tensor) in model.namedParameters() {
            let stopped = name.hasPrefix("backbone.") || name.hasPrefix("neck.context.")
            #expect((tensor.grad == nil) == stopped, "\(name): gradient \(tensor.grad == nil ? "none" : "present")")
        }
    }

    @Test func freezeThreeStopsOnlyTheFirstThreeLayers() {
        let model = Detector(spec: DetectorSpec(backbone: BackboneSpec(.mobilenetv2), neck: .panSPPF, classes: 3), seed: 0)
        Freeze.apply(model, first: 3)
        let stopped = model.namedParameters().filter { !$0.tensor.requiresGrad }.map(\.name)
        #expect(!stopped.isEmpty && stopped.allSatisfy { ["backbone.layers.0.", "backbone.layers.1.", "backbone.layers.2."].contains(where: $0.hasPrefix) })
        #expect(model.namedParameters().filter { $0.name.hasPrefix("backbone.layers.2.") }.allSatisfy { !$0.tensor.requiresGrad })
    }
}
