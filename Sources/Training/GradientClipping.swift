import Engine

/// Scales every gradient by max_norm / (‖g‖ + 1e-6) when the global L2 norm ‖g‖ exceeds
/// `maxNorm`; returns ‖g‖. Norms are summed in a fixed order, so the result is the same on any
/// thread count.
// torch.nn.utils.clip_grad_norm_ (norm_type 2), as yolov5 v7.0 train.py calls it with max_norm 10
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Double) -> Double {
    var squares = 0.0
    for p in parameters {
        guard let g = p.grad else { continue }
        var s = 0.0
        for i in 0..<g.count { s += Double(g.data[i]) * Double(g.data[i]) }
        squares += s
    }
    let total = squares.squareRoot()
    let coefficient = maxNorm / (total + 1e-6)
    if coefficient < 1 {
        let c = Float(coefficient)
        for p in parameters {
            guard let g = p.grad else { continue }
            for i in 0..<g.count { g.data[i] *= c }
        }
    }
    return total
}
