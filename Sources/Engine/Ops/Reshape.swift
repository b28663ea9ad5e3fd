/// Shape changes: reshape (a view), permute (a copy), and ShuffleNet's channel shuffle built from them.

/// The same values under a new shape with the same element count; shares storage with `x`.
public func reshape(_ x: Tensor, _ shape: Shape) -> Tensor {
    require(shape.count == x.count, "reshape: cannot view \(x.shape) (\(x.count) elements) as \(shape)")
    let y = Tensor(shape: shape, storage: x.storage)
    if Autograd.needsGrad(x) {
        Autograd.record([y]) {
            guard let dy = y.grad else { return }
            let (dx, accumulate) = x.gradTarget()
            zipElements(dy.data, dy.data, into: dx, accumulate: accumulate, x.count, ScaledFirst())
        }
    }
    Trace.record(.reshape(shape.dims), [x], y)
    return y
}

/// Reorders dimensions: output dimension i is input dimension `order[i]` (torch.permute).
public func permute(_ x: Tensor, _ order: [Int]) -> Tensor {
    let started = Profiler.start()
    defer { Profiler.stop(started, "permute") }
    require(order.sorted() == Array(0..<x.shape.rank), "permute: \(order) is not a permutation of the \(x.shape.rank) dimensions of \(x.shape)")
    let y = Tensor(uninitialized: Shape(order.map { x.shape[$0] }))
    permuteCopy(x.data, x.shape, order, into: y.data, accumulate: false)
    if Autograd.needsGrad(x) {
        Autograd.record([y]) {
            guard let dy = y.grad else { return }
            var inverse = order
            for (i, d) in order.enumerated() { inverse[d] = i }
            let (dx, accumulate) = x.gradTarget()
            permuteCopy(dy.data, dy.shape, inverse, into: dx, accumulate: accumulate)
        }
    }
    Trace.record(.permute(order), [x], y)
    return y
}

/// ShuffleNet's channel shuffle: [N, g·k, H, W] → view [N, g, k, H, W] → swap g and k → [N, k·g, H, W].
public func channelShuffle(_ x: Tensor, groups: Int) -> Tensor {
    let (n, c, h, w) = x.shape.nchw("channelShuffle")
    require(groups >= 1 && c % groups == 0, "channelShuffle: \(c) channels do not split into \(groups) groups")
    let grouped = reshape(x, [n, groups, c / groups, h * w])
    return reshape(permute(grouped, [0, 2, 1, 3]), x.shape)
}

/// y = x permuted by `order` (y's dimension i is x's `order[i]`), written or added; rows of the
/// last dimension are copied whole when it stays last.
private func permuteCopy(_ x: UnsafePointer<Float>, _ shape: Shape, _ order: [Int],
                         into y: UnsafeMutablePointer<Float>, accumulate: Bool) {
    let rank = shape.rank
    var inStrides = [Int](repeating: 1, count: rank)
    for d in stride(from: rank - 2, through: 0, by: -1) { inStrides[d] = inStrides[d + 1] * shape[d + 1] }
    let outDims = order.map { shape[$0] }
    let strides = order.map { inStrides[$0] }
    let inner = outDims[rank - 1], innerStride = strides[rank - 1]
    let rows = shape.count / max(inner, 1)
    ThreadPool.shared.parallelFor(rows) { range in
        for r in range {
            var rest = r, offset = 0
            for d in stride(from: rank - 2, through: 0, by: -1) {
                offset += (rest % outDims[d]) * strides[d]
                rest /= outDims[d]
            }
            let dst = y + r * inner, src = x + offset
            if innerStride == 1 && !accumulate {
                dst.update(from: src, count: inner)
            } else if accumulate {
                for i in 0..<inner { dst[i] += src[i * innerStride] }
            } else {
                for i in 0..<inner { dst[i] = src[i * innerStride] }
            }
        }
    }
}
