import Foundation

/// Pointwise math for the detection loss (CIoU and friends), each with its derivative beside it.
/// These run on small tensors (matched targets), so they use the exact libm functions.

/// y = f(x) with dL/dx = dL/dy · f'(x, y), any shape.
func pointwise(_ x: Tensor, _ f: @escaping (Float) -> Float, derivative: @escaping (_ x: Float, _ y: Float) -> Float) -> Tensor {
    let y = Tensor(uninitialized: x.shape)
    parallelElements(x.count, grain: 4096) { range in for i in range { y.data[i] = f(x.data[i]) } }
    if Autograd.needsGrad(x) {
        Autograd.record([y]) {
            guard let dy = y.grad else { return }
            let (dx, accumulate) = x.gradTarget()
            parallelElements(x.count, grain: 4096) { range in
                for i in range {
                    let g = dy.data[i] * derivative(x.data[i], y.data[i])
                    dx[i] = accumulate ? dx[i] + g : g
                }
            }
        }
    }
    return y
}

/// e^x elementwise.
public func exp(_ x: Tensor) -> Tensor { pointwise(x, { Foundation.exp($0) }, derivative: { _, y in y }) }
/// Natural logarithm elementwise.
public func log(_ x: Tensor) -> Tensor { pointwise(x, { Foundation.log($0) }, derivative: { x, _ in 1 / x }) }
/// √x elementwise.
public func sqrt(_ x: Tensor) -> Tensor { pointwise(x, { $0.squareRoot() }, derivative: { _, y in 0.5 / y }) }
/// arctan x elementwise (CIoU's aspect-ratio term).
public func atan(_ x: Tensor) -> Tensor { pointwise(x, { Foundation.atan($0) }, derivative: { x, _ in 1 / (1 + x * x) }) }

/// x^p for a constant exponent p (torch.pow with a scalar exponent).
public func pow(_ x: Tensor, _ p: Float) -> Tensor {
    pointwise(x, { Foundation.pow($0, p) }, derivative: { x, _ in p == 0 ? 0 : p * Foundation.pow(x, p - 1) })
}

/// x limited to [low, high]; the gradient passes where low ≤ x ≤ high (torch.clamp).
public func clamp(_ x: Tensor, min low: Float = -.infinity, max high: Float = .infinity) -> Tensor {
    pointwise(x, { Swift.min(Swift.max($0, low), high) }, derivative: { x, _ in x >= low && x <= high ? 1 : 0 })
}
