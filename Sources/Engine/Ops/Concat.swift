/// Concatenation and slicing along one axis (channels, for the PAN and C3 blocks), forward and backward.

/// The elements before `axis` (outer) and from `axis` on (inner) of a shape.
private func split(_ shape: Shape, at axis: Int) -> (outer: Int, inner: Int) {
    (shape.dims[..<axis].reduce(1, *), shape.dims[axis...].reduce(1, *))
}

/// Joins tensors along `axis`; every other dimension must match. [N, C1, H, W] ++ [N, C2, H, W] → [N, C1+C2, H, W].
public func concat(_ xs: [Tensor], axis: Int = 1) -> Tensor {
    let started = Profiler.start()
    defer { Profiler.stop(started, "concat") }
    require(!xs.isEmpty, "concat: no tensors")
    let first = xs[0].shape
    require(axis >= 0 && axis < first.rank, "concat: axis \(axis) out of range for shape \(first)")
    for x in xs {
        var a = x.shape.dims, b = first.dims
        if a.count == b.count { a[axis] = 0; b[axis] = 0 }
        require(a == b, "concat: shapes \(xs.map(\.shape)) differ outside axis \(axis)")
    }
    var dims = first.dims
    dims[axis] = xs.reduce(0) { $0 + $1.shape[axis] }
    let y = Tensor(uninitialized: Shape(dims))
    let (outer, total) = split(y.shape, at: axis)
    let inners = xs.map { split($0.shape, at: axis).inner }
    ThreadPool.shared.parallelFor(outer) { rows in
        for r in rows {
            var offset = r * total
            for (x, inner) in zip(xs, inners) {
                (y.data + offset).update(from: x.data + r * inner, count: inner)
                offset += inner
            }
        }
    }
    if Autograd.needsGrad(xs) {
        Autograd.record([y]) {
            guard let dy = y.grad else { return }
            var start = 0
            for (x, inner) in zip(xs, inners) {
                if x.requiresGrad { copyRows(from: dy.data + start, stride: total, into: x, inner: inner, outer: outer) }
                start += inner
            }
        }
    }
    Trace.record(.concat(axis: axis), xs, y)
    return y
}

/// Elements `range` of `axis`: x[..., range, ...] as a new tensor.
public func slice(_ x: Tensor, axis: Int, _ range: Range<Int>) -> Tensor {
    let started = Profiler.start()
    defer { Profiler.stop(started, "slice") }
    require(axis >= 0 && axis < x.shape.rank && range.lowerBound >= 0 && range.upperBound <= x.shape[axis],
                 "slice: range \(range) of axis \(axis) out of bounds for shape \(x.shape)")
    var dims = x.shape.dims
    dims[axis] = range.count
    let y = Tensor(uninitialized: Shape(dims))
    let (outer, total) = split(x.shape, at: axis)
    let inner = y.count / max(outer, 1)
    let start = range.lowerBound * (total / max(x.shape[axis], 1))
    ThreadPool.shared.parallelFor(outer) { rows in
        for r in rows { (y.data + r * inner).update(from: x.data + r * total + start, count: inner) }
    }
    if Autograd.needsGrad(x) {
        Autograd.record([y]) {
            guard let dy = y.grad else { return }
            let dx = x.zeroedGradTarget()
            ThreadPool.shared.parallelFor(outer) { rows in
                for r in rows {
                    let dst = dx + r * total + start, src = dy.data + r * inner
                    for i in 0..<inner { dst[i] += src[i] }
                }
            }
        }
    }
    Trace.record(.slice(axis: axis, start: range.lowerBound, end: range.upperBound), [x], y)
    return y
}

/// Splits `x` along `axis` into pieces of the given sizes (torch.split).
public func split(_ x: Tensor, sizes: [Int], axis: Int = 1) -> [Tensor] {
    require(sizes.reduce(0, +) == x.shape[axis], "split: sizes \(sizes) do not add up to \(x.shape[axis]) in shape \(x.shape)")
    var start = 0
    return sizes.map { size in
        defer { start += size }
        return slice(x, axis: axis, start..<(start + size))
    }
}

/// Adds `outer` rows of `inner` elements, read `stride` apart from `src`, into x's gradient.
private func copyRows(from src: UnsafeMutablePointer<Float>, stride: Int, into x: Tensor, inner: Int, outer: Int) {
    let (dx, accumulate) = x.gradTarget()
    ThreadPool.shared.parallelFor(outer) { rows in
        for r in rows {
            let s = src + r * stride, d = dx + r * inner
            if accumulate {
                for i in 0..<inner { d[i] += s[i] }
            } else {
                d.update(from: s, count: inner)
            }
        }
    }
}

extension Autograd {
    static func needsGrad(_ inputs: [Tensor]) -> Bool { gradEnabled && inputs.contains { $0.requiresGrad } }
}
