import Engine
import Foundation

/// One op on one shape, timed forward and forward+backward.
struct OpBenchmark {
    var name: String
    var inputShape: Shape
    var parameterShapes: [Shape]
    /// Forward FLOPs (2 × multiply-adds) for convolutions, 0 for memory-bound ops.
    var gflopForward: Double
    var forward: (Tensor, [Tensor]) -> Tensor

    struct Result: Encodable { var name: String; var forwardMs: Double; var forwardBackwardMs: Double; var gflopForward: Double }

    /// What `--ops --json` prints (keys in snake case, as bench/compare_ops.sh reads them).
    struct Report: Encodable { var engine: String; var threads: Int; var ops: [Result] }

    /// The shapes of issue #3 (YOLOv5n at 160 px, batch 16), and issue #15's small planes of the depthwise backbones.
    static var all: [OpBenchmark] { [
        conv("conv3x3 16->32 80x80 s2", x: [16, 16, 80, 80], o: 32, k: 3, stride: 2, groups: 1),
        conv("conv1x1 64->64 20x20", x: [16, 64, 20, 20], o: 64, k: 1, stride: 1, groups: 1),
        conv("conv3x3 128->128 5x5 (P5)", x: [16, 128, 5, 5], o: 128, k: 3, stride: 1, groups: 1),
        conv("conv1x1 256->128 5x5 (P5)", x: [16, 256, 5, 5], o: 128, k: 1, stride: 1, groups: 1),
        conv("dw3x3 64 40x40 s1", x: [16, 64, 40, 40], o: 64, k: 3, stride: 1, groups: 64),
        conv("dw3x3 64 40x40 s2", x: [16, 64, 40, 40], o: 64, k: 3, stride: 2, groups: 64),
        conv("dw5x5 64 40x40 s1", x: [16, 64, 40, 40], o: 64, k: 5, stride: 1, groups: 64),
        conv("dw5x5 64 40x40 s2", x: [16, 64, 40, 40], o: 64, k: 5, stride: 2, groups: 64),
        conv("dw3x3 480 10x10 s1", x: [16, 480, 10, 10], o: 480, k: 3, stride: 1, groups: 480),
        conv("dw3x3 960 5x5 s1 (P5)", x: [16, 960, 5, 5], o: 960, k: 3, stride: 1, groups: 960),
        batchNorm("batchnorm 32x80x80", x: [16, 32, 80, 80]),
        batchNorm("batchnorm 120x20x20", x: [16, 120, 20, 20]),
        batchNorm("batchnorm 256x5x5 (P5)", x: [16, 256, 5, 5]),
        OpBenchmark(name: "silu 32x80x80", inputShape: [16, 32, 80, 80], parameterShapes: [], gflopForward: 0) { x, _ in
            silu(x)
        },
    ] }

    static func batchNorm(_ name: String, x: Shape) -> OpBenchmark {
        let c = x[1]
        return OpBenchmark(name: name, inputShape: x, parameterShapes: [[c], [c]], gflopForward: 0) { x, p in
            batchNorm2d(x, weight: p[0], bias: p[1], runningMean: Tensor(zeros: [c]),
                        runningVar: Tensor(repeating: 1, shape: [c]), training: true, momentum: 0.03, eps: 1e-3)
        }
    }

    static func conv(_ name: String, x: Shape, o: Int, k: Int, stride: Int, groups: Int) -> OpBenchmark {
        let c = x[1], pad = k / 2
        let oh = (x[2] + 2 * pad - k) / stride + 1, ow = (x[3] + 2 * pad - k) / stride + 1
        let flops = 2.0 * Double(x[0] * o * oh * ow * (c / groups) * k * k) / 1e9
        return OpBenchmark(name: name, inputShape: x, parameterShapes: [[o, c / groups, k, k]], gflopForward: flops) { x, p in
            conv2d(x, p[0], stride: stride, padding: pad, groups: groups)
        }
    }

    func measure(iterations: Int) -> Result {
        var rng = Philox(seed: 0)
        let x = Tensor(rng.uniform(inputShape.count, low: -1, high: 1), shape: inputShape, requiresGrad: true)
        let params = parameterShapes.map { Tensor(rng.uniform($0.count, low: -0.1, high: 0.1), shape: $0, requiresGrad: true) }
        func time(_ body: () -> Void) -> Double { 1000 * medianSeconds(iterations: iterations, warmup: 3, body) }
        let forwardMs = time { Autograd.withoutGrad { _ = forward(x, params) } }
        var gradient: Tensor?
        let forwardBackwardMs = time {
            x.grad = nil
            for p in params { p.grad = nil }
            let y = forward(x, params)
            if gradient == nil { gradient = Tensor(repeating: 1, shape: y.shape) }
            y.backward(gradient: gradient!)
        }
        return Result(name: name, forwardMs: forwardMs, forwardBackwardMs: forwardBackwardMs, gflopForward: gflopForward)
    }
}
