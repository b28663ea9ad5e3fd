import Engine
import Testing
import Zoo

/// max |a − b| / max |b|: the largest difference relative to the scale of the reference output.
func maxRelativeError(_ a: Tensor, _ b: Tensor) -> Float {
    let scale = b.scalars.reduce(0) { max($0, abs($1)) }
    return zip(a.scalars, b.scalars).reduce(0) { max($0, abs($1.0 - $1.1)) } / max(scale, 1e-12)
}

/// The raw outputs of all three scales as one tensor.
func flat(_ outputs: [Tensor]) -> Tensor {
    let values = outputs.flatMap(\.scalars)
    return Tensor(values, shape: [values.count])
}

/// A test image batch with values in [0, 1).
func testImages(_ shape: Shape, seed: UInt64) -> Tensor {
    var rng = Philox(seed: seed)
    return Tensor(rng.uniform(shape.count), shape: shape)
}

/// Gives every BatchNorm non-trivial affine weights and running statistics taken from a real
/// batch (momentum 1 for one training-mode pass), as a trained model has: a fresh model in
/// evaluation mode sinks into denormal floats (../shared/anchors/README.md). γ in [0.3, 0.7]
/// keeps the random network contractive, as trained ones are: with γ ≈ 1 a random 50-layer net
/// amplifies float32 rounding (3e-7 per fused layer) about a thousandfold.
func calibrate(_ model: Detector, seed: UInt64) {
    var rng = Philox(seed: seed)
    for case let (_, bn as BatchNorm2d) in model.namedModules() {
        let c = bn.weight.count
        bn.weight.data.update(from: rng.uniform(c, low: 0.3, high: 0.7), count: c)
        bn.bias.data.update(from: rng.uniform(c, low: -0.1, high: 0.1), count: c)
    }
    model.setBatchNorm(eps: 1e-3, momentum: 1)
    Autograd.withoutGrad { _ = model.train()(testImages([4, 3, 64, 96], seed: seed)) }
    model.setBatchNorm(eps: 1e-3, momentum: 0.03)
    model.eval()
}

struct FusionTests {
    @Test(arguments: BackboneSpec.all)
    func fusedEqualsUnfused(_ backbone: BackboneSpec) {
        let model = Detector(spec: DetectorSpec(backbone: backbone, neck: .panSPPF, classes: 3), seed: 5)
        calibrate(model, seed: 6)
        let x = testImages([4, 3, 64, 96], seed: 6)
        let before = Autograd.withoutGrad { flat(model(x)) }
        let parameters = model.parameterCount
        model.fuse()
        let after = Autograd.withoutGrad { flat(model(x)) }
        let error = maxRelativeError(after, before)
        #expect(error < 1e-4, "fused vs unfused max error \(error); first \(Array(after.scalars.prefix(4))) vs \(Array(before.scalars.prefix(4)))")
        #expect(model.namedModules().allSatisfy { !($0.module is BatchNorm2d) })
        #expect(model.parameterCount < parameters)
    }

    /// Each layer alone, fed the same input, fused and unfused: the folding itself is exact to float rounding.
    @Test(arguments: BackboneSpec.all)
    func fusionIsExactPerLayer(_ backbone: BackboneSpec) {
        let spec = DetectorSpec(backbone: backbone, neck: .panSPPF, classes: 3)
        let unfused = Detector(spec: spec, seed: 5), fused = Detector(spec: spec, seed: 5)
        calibrate(unfused, seed: 6)
        calibrate(fused, seed: 6)
        fused.fuse()
        var h = testImages([4, 3, 64, 96], seed: 6)
        Autograd.withoutGrad {
            for (i, (a, b)) in zip(unfused.backbone.layers, fused.backbone.layers).enumerated() {
                let expected = a(h), error = maxRelativeError(b(h), expected)
                #expect(error < 1e-5, "layer \(i) (\(type(of: a))): max error \(error)")
                h = expected
            }
        }
    }

    @Test func asppFusesToo() {
        let model = Detector(spec: DetectorSpec(backbone: BackboneSpec(.mobilenetv3Small), neck: .panASPP(rates: [1, 2, 3]), classes: 2))
        calibrate(model, seed: 8)
        let x = testImages([4, 3, 64, 96], seed: 8)
        let before = Autograd.withoutGrad { flat(model(x)) }
        model.fuse()
        let after = Autograd.withoutGrad { flat(model(x)) }
        #expect(maxRelativeError(after, before) < 1e-4)
    }
}
