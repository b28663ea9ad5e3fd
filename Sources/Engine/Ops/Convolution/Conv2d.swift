/// 2-D convolution with any kernel size, stride, padding, dilation and groups, bias optional.
///
/// x: [N, C, H, W], w: [O, C/groups, kH, kW], bias: [O] → [N, O, H', W'] with
/// H' = (H + 2·padding − dilation·(kH − 1) − 1) / stride + 1 (torch.nn.functional.conv2d).
/// Depthwise convolutions (groups == C == O) run `DepthwiseConv`, dense ones (groups 1) `DenseConv`
/// (oneDNN's direct convolution), grouped ones `GroupedConv` (im2col + GEMM); `ReferenceConv2d`
/// is the naive oracle they are all tested against.
public func conv2d(_ x: Tensor, _ w: Tensor, bias: Tensor? = nil,
                   stride: Int = 1, padding: Int = 0, dilation: Int = 1, groups: Int = 1) -> Tensor {
    let started = Profiler.start()
    defer { Profiler.stop(started, groups == x.shape[1] && w.shape[0] == groups && groups > 1 ? "conv2d depthwise" : "conv2d") }
    let (n, c, h, wd) = x.shape.nchw("conv2d input")
    let (o, cg, kh, kw) = w.shape.nchw("conv2d weight")
    require(stride >= 1 && dilation >= 1 && padding >= 0 && groups >= 1,
                 "conv2d: invalid stride \(stride), padding \(padding), dilation \(dilation) or groups \(groups)")
    require(c % groups == 0 && o % groups == 0 && cg == c / groups,
                 "conv2d: input \(x.shape) and weight \(w.shape) do not match with groups \(groups)")
    if let bias { require(bias.shape == [o], "conv2d: bias \(bias.shape) for \(o) output channels") }
    let g = ConvGeometry(channels: cg, height: h, width: wd, kernelH: kh, kernelW: kw,
                         stride: stride, padding: padding, dilation: dilation)
    require(g.outHeight >= 1 && g.outWidth >= 1,
                 "conv2d: kernel \(kh)×\(kw) (dilation \(dilation), padding \(padding)) larger than input \(x.shape)")
    let y = Tensor(uninitialized: [n, o, g.outHeight, g.outWidth])
    let isDepthwise = groups == c && o == c
    if isDepthwise {
        DepthwiseConv.forward(x, w, bias, g, y)
    } else if groups == 1 {
        DenseConv.forward(x, w, bias, g, y)
    } else {
        GroupedConv.forward(x, w, bias, groups, g, y)
    }
    if Autograd.needsGrad(x, w, bias) {
        Autograd.record([y], name: isDepthwise ? "conv2d depthwise" : "conv2d") {
            guard let dy = y.grad else { return }
            if isDepthwise {
                DepthwiseConv.backward(x, w, bias, g, dy)
            } else if groups == 1 && !(g.isPointwise && g.outPlane <= GroupedConv.smallPlane) {
                DenseConv.backward(x, w, bias, g, dy)
            } else {
                // Dense 1×1 convolutions of small planes too: two plain GEMMs beat oneDNN there.
                GroupedConv.backward(x, w, bias, groups, g, dy)
            }
        }
    }
    Trace.record(.conv2d(stride: stride, padding: padding, dilation: dilation, groups: groups), [x, w] + (bias.map { [$0] } ?? []), y)
    return y
}

/// How many blocks of images the weight gradient of a GEMM convolution is summed in: fixed, so
/// that 1 and 2 threads give bit-identical results (4 blocks keep 2 threads busy at batch 8+).
let weightGradientBlocks = 4

/// Sums dy [N, O, P] over N and P into the bias gradient [O], one channel per task.
func biasBackward(_ dy: Tensor, _ bias: Tensor) {
    let (n, o) = (dy.shape[0], dy.shape[1])
    let plane = dy.count / (n * o)
    let (db, accumulate) = bias.gradTarget()
    ThreadPool.shared.parallelFor(o) { channels in
        for ch in channels {
            var sum: Float = 0
            for img in 0..<n {
                let p = dy.data + (img * o + ch) * plane
                var s: Float = 0
                for i in 0..<plane { s += p[i] }
                sum += s
            }
            db[ch] = accumulate ? db[ch] + sum : sum
        }
    }
}

/// w.grad (+)= Σ over blocks of their weight-gradient slices, in block order — 16 lanes at a
/// time, each lane adding in the same order as the scalar tail, so the bits do not depend on
/// where a range starts. (Scalar, this pass took 8 % of a training step at 64 px.)
func addWeightGradientPartials(_ partials: Storage, blocks: Int, into w: Tensor) {
    let (dw, accumulate) = w.gradTarget()
    let count = w.count
    let p = UnsafePointer(partials.pointer)
    parallelElements(count) { range in
        var i = range.lowerBound
        while i + Vec.scalarCount <= range.upperBound {
            var sum = accumulate ? dw.vec(i) : Vec(repeating: 0)
            for b in 0..<blocks { sum += p.vec(b * count + i) }
            dw.store(sum, i)
            i += Vec.scalarCount
        }
        while i < range.upperBound {
            var sum: Float = accumulate ? dw[i] : 0
            for b in 0..<blocks { sum += p[b * count + i] }
            dw[i] = sum
            i += 1
        }
    }
}
