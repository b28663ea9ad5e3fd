/// The pointwise activations the zoo uses, each with its derivative beside it.
///
/// Derivatives follow PyTorch's backward kernels at the kinks (e.g. relu6 passes no gradient at 0
/// and 6, hardswish uses x/3 + 1/2 on [-3, 3]).
public enum Activation: Equatable, Sendable {
    case identity, relu, relu6, silu, sigmoid, hardsigmoid, hardswish
    case leakyRelu(slope: Float)
}

/// One activation as a type, so every kernel loop is specialised and inlined for it.
protocol ActivationFunction {
    /// y = f(x).
    func forward(_ x: Vec) -> Vec
    /// dL/dx = dL/dy · f'(x).
    func backward(_ x: Vec, _ dy: Vec) -> Vec
}

struct Identity: ActivationFunction {
    @inline(__always) func forward(_ x: Vec) -> Vec { x }
    @inline(__always) func backward(_ x: Vec, _ dy: Vec) -> Vec { dy }
}

struct ReLU: ActivationFunction {
    @inline(__always) func forward(_ x: Vec) -> Vec { x.replacing(with: 0, where: x .< 0) }
    @inline(__always) func backward(_ x: Vec, _ dy: Vec) -> Vec { dy.replacing(with: 0, where: x .<= 0) }
}

struct ReLU6: ActivationFunction {
    @inline(__always) func forward(_ x: Vec) -> Vec { x.clamp(0, 6) }
    @inline(__always) func backward(_ x: Vec, _ dy: Vec) -> Vec { dy.replacing(with: 0, where: (x .<= 0) .| (x .>= 6)) }
}

struct SiLU: ActivationFunction {
    @inline(__always) func forward(_ x: Vec) -> Vec { x / (1 + SIMDMath.exp(-x)) }
    @inline(__always) func backward(_ x: Vec, _ dy: Vec) -> Vec {
        let s = SIMDMath.sigmoid(x)
        // s·(1 + x·(1 − s)) = s·(1 + x − x·s)
        return dy * s * (1 + x).addingProduct(-x, s)
    }
}

struct Sigmoid: ActivationFunction {
    @inline(__always) func forward(_ x: Vec) -> Vec { SIMDMath.sigmoid(x) }
    @inline(__always) func backward(_ x: Vec, _ dy: Vec) -> Vec {
        let s = SIMDMath.sigmoid(x)
        return dy * s * (1 - s)
    }
}

struct HardSigmoid: ActivationFunction {
    @inline(__always) func forward(_ x: Vec) -> Vec { (x + 3).clamp(0, 6) / 6 }
    @inline(__always) func backward(_ x: Vec, _ dy: Vec) -> Vec { (dy / 6).replacing(with: 0, where: (x .<= -3) .| (x .>= 3)) }
}

struct HardSwish: ActivationFunction {
    @inline(__always) func forward(_ x: Vec) -> Vec { x * (x + 3).clamp(0, 6) / 6 }
    @inline(__always) func backward(_ x: Vec, _ dy: Vec) -> Vec {
        (dy * (x / 3 + 0.5)).replacing(with: 0, where: x .< -3).replacing(with: dy, where: x .> 3)
    }
}

struct LeakyReLU: ActivationFunction {
    var slope: Float
    @inline(__always) func forward(_ x: Vec) -> Vec { x.replacing(with: x * slope, where: x .< 0) }
    @inline(__always) func backward(_ x: Vec, _ dy: Vec) -> Vec { dy.replacing(with: dy * slope, where: x .<= 0) }
}

/// y = f(x) elementwise, any shape.
public func activation(_ x: Tensor, _ kind: Activation) -> Tensor {
    let y: Tensor
    switch kind {
    case .identity: y = activation(x, Identity())
    case .relu: y = activation(x, ReLU())
    case .relu6: y = activation(x, ReLU6())
    case .silu: y = activation(x, SiLU())
    case .sigmoid: y = activation(x, Sigmoid())
    case .hardsigmoid: y = activation(x, HardSigmoid())
    case .hardswish: y = activation(x, HardSwish())
    case .leakyRelu(let slope): y = activation(x, LeakyReLU(slope: slope))
    }
    Trace.record(.activation(kind), [x], y)
    return y
}

func activation<F: ActivationFunction>(_ x: Tensor, _ f: F) -> Tensor {
    let started = Profiler.start()
    defer { Profiler.stop(started, "activation") }
    let y = Tensor(uninitialized: x.shape)
    mapElements(x.data, y.data, x.count, Forward(f: f))
    if Autograd.needsGrad(x) {
        Autograd.record([y]) {
            guard let dy = y.grad else { return }
            let (dx, accumulate) = x.gradTarget()
            zipElements(x.data, dy.data, into: dx, accumulate: accumulate, x.count, Backward(f: f))
        }
    }
    return y
}

private struct Forward<F: ActivationFunction>: VectorMap {
    let f: F
    @inline(__always) func callAsFunction(_ x: Vec) -> Vec { f.forward(x) }
}

private struct Backward<F: ActivationFunction>: VectorZip {
    let f: F
    @inline(__always) func callAsFunction(_ x: Vec, _ dy: Vec) -> Vec { f.backward(x, dy) }
}

/// max(x, 0).
public func relu(_ x: Tensor) -> Tensor { activation(x, .relu) }
/// min(max(x, 0), 6) (MobileNetV2).
public func relu6(_ x: Tensor) -> Tensor { activation(x, .relu6) }
/// x · σ(x) (YOLOv5's activation).
public func silu(_ x: Tensor) -> Tensor { activation(x, .silu) }
/// 1 / (1 + e^−x).
public func sigmoid(_ x: Tensor) -> Tensor { activation(x, .sigmoid) }
/// relu6(x + 3) / 6 (MobileNetV3's squeeze-and-excitation gate).
public func hardsigmoid(_ x: Tensor) -> Tensor { activation(x, .hardsigmoid) }
/// x · relu6(x + 3) / 6 (MobileNetV3).
public func hardswish(_ x: Tensor) -> Tensor { activation(x, .hardswish) }
/// x for x > 0, slope · x otherwise.
public func leakyRelu(_ x: Tensor, slope: Float = 0.01) -> Tensor { activation(x, .leakyRelu(slope: slope)) }
