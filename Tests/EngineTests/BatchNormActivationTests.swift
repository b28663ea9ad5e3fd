import Engine
import Testing

struct BatchNormActivationTests {
    static let kinds: [Activation] = [.identity, .relu, .relu6, .silu, .sigmoid, .hardsigmoid, .hardswish, .leakyRelu(slope: 0.1)]

    /// The fused op gives the bits of BatchNorm then the activation: output, dx, dγ, dβ and the
    /// running statistics, in training and evaluation, on planes that are not a multiple of 16.
    @Test(arguments: kinds, [true, false])
    func equalsBatchNormThenActivationToTheBit(kind: Activation, training: Bool) {
        for shape in [Shape([3, 5, 9, 7]), Shape([2, 3, 6, 11])] {
            compare(kind: kind, training: training, shape: shape)
        }
    }

    func compare(kind: Activation, training: Bool, shape: Shape) {
        let values = testValues(shape.count, seed: 21).map { $0 * 4 }
        func run(fused: Bool) -> [[Float]] {
            let c = shape[1]
            let x = Tensor(values, shape: shape, requiresGrad: true)
            let w = Tensor(testValues(c, seed: 22), shape: [c], requiresGrad: true)
            let b = Tensor(testValues(c, seed: 23), shape: [c], requiresGrad: true)
            let rm = Tensor(Array([0.1, -0.2, 0.3, 0, 0.5].prefix(c)), shape: [c])
            let rv = Tensor(Array([1.5, 0.5, 2, 1, 0.7].prefix(c)), shape: [c])
            let y = fused
                ? batchNorm2dActivation(x, weight: w, bias: b, runningMean: rm, runningVar: rv, training: training,
                                        momentum: 0.03, eps: 1e-3, activation: kind)
                : activation(batchNorm2d(x, weight: w, bias: b, runningMean: rm, runningVar: rv, training: training,
                                         momentum: 0.03, eps: 1e-3), kind)
            y.backward(gradient: Tensor(testValues(shape.count, seed: 24), shape: shape))
            return [y.scalars, x.grad!.scalars, w.grad!.scalars, b.grad!.scalars, rm.scalars, rv.scalars]
        }
        let (fused, separate) = (run(fused: true), run(fused: false))
        for (i, name) in ["y", "dx", "dγ", "dβ", "running mean", "running var"].enumerated() {
            #expect(fused[i].map(\.bitPattern) == separate[i].map(\.bitPattern), "\(kind) training \(training) \(shape): \(name) differs")
        }
    }

    /// Independently of the separate ops: hard-swish after BatchNorm in Double, gradients by finite differences.
    @Test func hardswishMatchesReferenceAndFiniteDifferences() {
        let shape = Shape([2, 3, 5, 6])
        let rm = Tensor([0.1, -0.2, 0.3], shape: [3]), rv = Tensor([1.5, 0.5, 2], shape: [3])
        gradCheck([shape, [3], [3]],
                  op: { batchNorm2dActivation($0[0], weight: $0[1], bias: $0[2], runningMean: rm.copy(), runningVar: rv.copy(),
                                              training: true, momentum: 0.03, eps: 1e-3, activation: .hardswish) },
                  reference: { referenceBatchNorm($0[0], shape, $0[1], $0[2], training: true, runningMean: [0.1, -0.2, 0.3],
                                                  runningVar: [1.5, 0.5, 2], eps: 1e-3).y.map { $0 * min(max($0 + 3, 0), 6) / 6 } })
    }
}
