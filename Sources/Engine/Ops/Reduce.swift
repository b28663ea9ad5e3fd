/// Reductions to a scalar and row gathering, for losses.

/// Σ x over every element → [1].
public func sum(_ x: Tensor) -> Tensor {
    let y = Tensor(uninitialized: [1])
    y.data[0] = Reduce.sum(x.data, x.count)
    if Autograd.needsGrad(x) {
        Autograd.record([y]) {
            guard let dy = y.grad else { return }
            let (dx, accumulate) = x.gradTarget()
            let g = dy.data[0]
            parallelElements(x.count) { range in for i in range { dx[i] = accumulate ? dx[i] + g : g } }
        }
    }
    return y
}

/// The mean of every element → [1].
public func mean(_ x: Tensor) -> Tensor {
    require(x.count > 0, "mean: empty tensor of shape \(x.shape)")
    return sum(x) * (1 / Float(x.count))
}

/// Rows `indices` of x along its first dimension: [M, ...] → [indices.count, ...] (torch.index_select, dim 0).
/// Repeated indices add their gradients, in index order.
public func gatherRows(_ x: Tensor, _ indices: [Int]) -> Tensor {
    require(x.shape.rank >= 1, "gatherRows: needs at least one dimension, got \(x.shape)")
    let rows = x.shape[0], width = x.count / max(rows, 1)
    for i in indices where i < 0 || i >= rows {
        fatalError("gatherRows: index \(i) out of range for \(rows) rows of \(x.shape)")
    }
    let y = Tensor(uninitialized: Shape([indices.count] + x.shape.dims.dropFirst()))
    for (r, i) in indices.enumerated() { (y.data + r * width).update(from: x.data + i * width, count: width) }
    if Autograd.needsGrad(x) {
        Autograd.record([y]) {
            guard let dy = y.grad else { return }
            let dx = x.zeroedGradTarget()
            for (r, i) in indices.enumerated() {
                let src = dy.data + r * width, dst = dx + i * width
                for j in 0..<width { dst[j] += src[j] }
            }
        }
    }
    return y
}
