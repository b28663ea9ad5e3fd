import Foundation

/// Max, average and global-average pooling, and nearest upsampling, forward and backward.

/// Max pooling, padding with −∞ (torch.nn.MaxPool2d, floor mode).
///
/// x: [N, C, H, W] → [N, C, H', W'], H' = (H + 2·padding − kernel) / stride + 1. The gradient goes to
/// the first maximum of each window in scan order, as PyTorch's CPU kernel does.
public func maxPool2d(_ x: Tensor, kernel: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
    let started = Profiler.start()
    defer { Profiler.stop(started, "maxPool2d") }
    let (n, c, h, w) = x.shape.nchw("maxPool2d")
    let s = stride ?? kernel
    let g = poolGeometry("maxPool2d", x.shape, kernel: kernel, stride: s, padding: padding)
    let y = Tensor(uninitialized: [n, c, g.outHeight, g.outWidth])
    let recording = Autograd.needsGrad(x)
    // The flat input index of each output's maximum, kept for backward.
    let argmax = recording ? UnsafeMutablePointer<Int32>.allocate(capacity: y.count) : nil
    let (inPlane, outPlane) = (h * w, g.outPlane)
    let separable = MaxPoolRows.supports(g)
    ThreadPool.shared.parallelFor(n * c) { planes in
        let rows = separable ? Scratch.buffer(0, count: MaxPoolRows.scratch(g)) : nil
        for p in planes {
            let src = x.data + p * inPlane, dst = y.data + p * outPlane
            if let rows {
                MaxPoolRows(g, scratch: rows).pool(src, into: dst, argmax: argmax.map { $0 + p * outPlane })
                continue
            }
            for oy in 0..<g.outHeight {
                let y0 = max(oy * s - padding, 0), y1 = min(oy * s - padding + kernel, h)
                for ox in 0..<g.outWidth {
                    let x0 = max(ox * s - padding, 0), x1 = min(ox * s - padding + kernel, w)
                    var best = -Float.infinity, at = y0 * w + x0
                    for iy in y0..<y1 {
                        for ix in x0..<x1 where src[iy * w + ix] > best || src[iy * w + ix].isNaN {
                            best = src[iy * w + ix]
                            at = iy * w + ix
                        }
                    }
                    dst[oy * g.outWidth + ox] = best
                    argmax?[p * outPlane + oy * g.outWidth + ox] = Int32(at)
                }
            }
        }
    }
    if let argmax {
        let owner = IndexBuffer(argmax)
        Autograd.record([y]) {
            guard let dy = y.grad else { return }
            let dx = x.zeroedGradTarget()
            ThreadPool.shared.parallelFor(n * c) { planes in
                for p in planes {
                    for i in 0..<outPlane { dx[p * inPlane + Int(owner.pointer[p * outPlane + i])] += dy.data[p * outPlane + i] }
                }
            }
        }
    }
    Trace.record(.maxPool(kernel: kernel, stride: stride ?? kernel, padding: padding), [x], y)
    return y
}

/// The window geometry of a pooling op, checked: padding at most half the kernel (PyTorch's rule)
/// and at least one output.
private func poolGeometry(_ op: String, _ shape: Shape, kernel: Int, stride: Int, padding: Int) -> ConvGeometry {
    require(kernel >= 1 && stride >= 1 && padding >= 0 && padding * 2 <= kernel,
            "\(op): invalid kernel \(kernel), stride \(stride), padding \(padding) (padding must be at most half the kernel)")
    let g = ConvGeometry(channels: 1, height: shape[2], width: shape[3], kernelH: kernel, kernelW: kernel,
                         stride: stride, padding: padding, dilation: 1)
    require(g.outHeight >= 1 && g.outWidth >= 1, "\(op): kernel \(kernel) larger than input \(shape)")
    return g
}

/// Owns an index buffer kept alive by a backward closure.
final class IndexBuffer {
    let pointer: UnsafeMutablePointer<Int32>
    init(_ pointer: UnsafeMutablePointer<Int32>) { self.pointer = pointer }
    deinit { pointer.deallocate() }
}

/// Average pooling counting padded zeros in the divisor (torch.nn.AvgPool2d defaults:
/// count_include_pad=True, floor mode). x: [N, C, H, W] → [N, C, H', W'].
public func avgPool2d(_ x: Tensor, kernel: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
    let started = Profiler.start()
    defer { Profiler.stop(started, "avgPool2d") }
    let (n, c, h, w) = x.shape.nchw("avgPool2d")
    let s = stride ?? kernel
    let g = poolGeometry("avgPool2d", x.shape, kernel: kernel, stride: s, padding: padding)
    let y = Tensor(uninitialized: [n, c, g.outHeight, g.outWidth])
    let (inPlane, outPlane) = (h * w, g.outPlane)
    // The divisor counts the window clipped to the padded input, as PyTorch does.
    func window(_ oy: Int, _ ox: Int) -> (ys: Range<Int>, xs: Range<Int>, divisor: Float) {
        let ys = oy * s - padding, xs = ox * s - padding
        let divisor = Float((min(ys + kernel, h + padding) - ys) * (min(xs + kernel, w + padding) - xs))
        return (max(ys, 0)..<min(ys + kernel, h), max(xs, 0)..<min(xs + kernel, w), divisor)
    }
    ThreadPool.shared.parallelFor(n * c) { planes in
        for p in planes {
            let src = x.data + p * inPlane
            for oy in 0..<g.outHeight {
                for ox in 0..<g.outWidth {
                    let (ys, xs, divisor) = window(oy, ox)
                    var sum: Float = 0
                    for iy in ys { for ix in xs { sum += src[iy * w + ix] } }
                    y.data[p * outPlane + oy * g.outWidth + ox] = sum / divisor
                }
            }
        }
    }
    if Autograd.needsGrad(x) {
        Autograd.record([y]) {
            guard let dy = y.grad else { return }
            let dx = x.zeroedGradTarget()
            ThreadPool.shared.parallelFor(n * c) { planes in
                for p in planes {
                    for oy in 0..<g.outHeight {
                        for ox in 0..<g.outWidth {
                            let (ys, xs, divisor) = window(oy, ox)
                            let share = dy.data[p * outPlane + oy * g.outWidth + ox] / divisor
                            for iy in ys { for ix in xs { dx[p * inPlane + iy * w + ix] += share } }
                        }
                    }
                }
            }
        }
    }
    Trace.record(.avgPool(kernel: kernel, stride: stride ?? kernel, padding: padding), [x], y)
    return y
}

/// The mean of each channel plane: [N, C, H, W] → [N, C, 1, 1] (nn.AdaptiveAvgPool2d(1)).
public func globalAvgPool(_ x: Tensor) -> Tensor {
    let started = Profiler.start()
    defer { Profiler.stop(started, "globalAvgPool") }
    let (n, c, h, w) = x.shape.nchw("globalAvgPool")
    let plane = h * w
    let y = Tensor(uninitialized: [n, c, 1, 1])
    ThreadPool.shared.parallelFor(n * c) { planes in
        for p in planes { y.data[p] = Reduce.sum(x.data + p * plane, plane) / Float(plane) }
    }
    if Autograd.needsGrad(x) {
        Autograd.record([y]) {
            guard let dy = y.grad else { return }
            let (dx, accumulate) = x.gradTarget()
            ThreadPool.shared.parallelFor(n * c) { planes in
                for p in planes {
                    let share = dy.data[p] / Float(plane), d = dx + p * plane
                    for i in 0..<plane { d[i] = accumulate ? d[i] + share : share }
                }
            }
        }
    }
    Trace.record(.globalAvgPool, [x], y)
    return y
}

/// Nearest-neighbour upsampling by an integer factor (nn.Upsample(scale_factor, 'nearest')).
/// x: [N, C, H, W] → [N, C, H·f, W·f].
public func upsampleNearest(_ x: Tensor, factor: Int = 2) -> Tensor {
    let started = Profiler.start()
    defer { Profiler.stop(started, "upsampleNearest") }
    let (n, c, h, w) = x.shape.nchw("upsampleNearest")
    require(factor >= 1, "upsampleNearest: factor must be at least 1, got \(factor)")
    let (oh, ow) = (h * factor, w * factor)
    let y = Tensor(uninitialized: [n, c, oh, ow])
    ThreadPool.shared.parallelFor(n * c) { planes in
        for p in planes {
            let src = x.data + p * h * w, dst = y.data + p * oh * ow
            for oy in 0..<oh {
                let row = src + (oy / factor) * w, out = dst + oy * ow
                for ox in 0..<ow { out[ox] = row[ox / factor] }
            }
        }
    }
    if Autograd.needsGrad(x) {
        Autograd.record([y]) {
            guard let dy = y.grad else { return }
            let (dx, accumulate) = x.gradTarget()
            ThreadPool.shared.parallelFor(n * c) { planes in
                for p in planes {
                    let src = dy.data + p * oh * ow, dst = dx + p * h * w
                    for iy in 0..<h {
                        for ix in 0..<w {
                            var sum: Float = 0
                            for fy in 0..<factor { for fx in 0..<factor { sum += src[(iy * factor + fy) * ow + ix * factor + fx] } }
                            dst[iy * w + ix] = accumulate ? dst[iy * w + ix] + sum : sum
                        }
                    }
                }
            }
        }
    }
    Trace.record(.upsampleNearest(factor: factor), [x], y)
    return y
}
