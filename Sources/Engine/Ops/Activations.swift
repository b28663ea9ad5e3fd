/// The pointwise activations the zoo uses, each with its derivative beside it.
///
/// Derivatives follow PyTorch's backward kernels at the kinks (e.g. relu6 passes no gradient at 0
/// and 6, hardswish uses x/3 + 1/2 on [-3, 3]).
public enum Activation: Equatable, Sendable {
    case identity, relu, relu6, silu, sigmoid, hardsigmoid, hardswish
    case leakyRelu(slope: Float)

    /// y = f(x).
    @inline(__always)
    func forward(_ x: Vec) -> Vec {
        let zero = Vec(repeating: 0)
        switch self {
        case .identity: return x
        case .relu: return x.replacing(with: zero, where: x .< zero)
        case .relu6: return x.clamped(lowerBound: zero, upperBound: Vec(repeating: 6))
        case .silu: return x * SIMDMath.sigmoid(x)
        case .sigmoid: return SIMDMath.sigmoid(x)
        case .hardsigmoid: return ((x + 3).clamped(lowerBound: zero, upperBound: Vec(repeating: 6))) / 6
        case .hardswish: return x * (x + 3).clamped(lowerBound: zero, upperBound: Vec(repeating: 6)) / 6
        case .leakyRelu(let slope): return x.replacing(with: x * slope, where: x .< zero)
        }
    }

    /// dL/dx = dL/dy · f'(x).
    @inline(__always)
    func backward(_ x: Vec, _ dy: Vec) -> Vec {
        let zero = Vec(repeating: 0)
        switch self {
        case .identity: return dy
        case .relu: return dy.replacing(with: zero, where: x .<= zero)
        case .relu6: return dy.replacing(with: zero, where: (x .<= zero) .| (x .>= 6))
        case .silu:
            let s = SIMDMath.sigmoid(x)
            return dy * s * (1 + x * (1 - s))
        case .sigmoid:
            let s = SIMDMath.sigmoid(x)
            return dy * s * (1 - s)
        case .hardsigmoid: return (dy / 6).replacing(with: zero, where: (x .<= -3) .| (x .>= 3))
        case .hardswish:
            let inside = dy * (x / 3 + 0.5)
            return inside.replacing(with: zero, where: x .< -3).replacing(with: dy, where: x .> 3)
        case .leakyRelu(let slope): return dy.replacing(with: dy * slope, where: x .<= zero)
        }
    }
}

/// y = f(x) elementwise, any shape.
public func activation(_ x: Tensor, _ kind: Activation) -> Tensor {
    let y = Tensor(uninitialized: x.shape)
    mapElements(x.data, y.data, x.count) { kind.forward($0) }
    if Autograd.needsGrad(x) {
        Autograd.record([y]) {
            guard let dy = y.grad else { return }
            let (dx, accumulate) = x.gradTarget()
            zipElements(x.data, dy.data, into: dx, accumulate: accumulate, x.count) { kind.backward($0, $1) }
        }
    }
    return y
}

public func relu(_ x: Tensor) -> Tensor { activation(x, .relu) }
public func relu6(_ x: Tensor) -> Tensor { activation(x, .relu6) }
public func silu(_ x: Tensor) -> Tensor { activation(x, .silu) }
public func sigmoid(_ x: Tensor) -> Tensor { activation(x, .sigmoid) }
public func hardsigmoid(_ x: Tensor) -> Tensor { activation(x, .hardsigmoid) }
public func hardswish(_ x: Tensor) -> Tensor { activation(x, .hardswish) }
public func leakyRelu(_ x: Tensor, slope: Float = 0.01) -> Tensor { activation(x, .leakyRelu(slope: slope)) }
