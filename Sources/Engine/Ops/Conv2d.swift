/// 2-D convolution with any kernel size, stride, padding, dilation and groups, bias optional.
///
/// x: [N, C, H, W], w: [O, C/groups, kH, kW], bias: [O] → [N, O, H', W'] with
/// H' = (H + 2·padding − dilation·(kH − 1) − 1) / stride + 1 (torch.nn.functional.conv2d).
/// Depthwise convolutions (groups == C == O) run a direct SIMD kernel, dense ones (groups 1)
/// oneDNN's direct convolution, grouped ones im2col + one GEMM per image and group.
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
    } else {
        GEMMConv.forward(x, w, bias, groups, g, y)
    }
    if Autograd.needsGrad(x, w, bias) {
        Autograd.record([y], name: isDepthwise ? "conv2d depthwise" : "conv2d") {
            guard let dy = y.grad else { return }
            if isDepthwise {
                DepthwiseConv.backward(x, w, bias, g, dy)
            } else {
                GEMMConv.backward(x, w, bias, groups, g, dy)
            }
        }
    }
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

/// The depthwise path: forward on oneDNN for two images or more; otherwise, and for backward,
/// one task per (image, channel) plane and weights reduced per channel. `DepthwiseSIMD` runs
/// dilation 1 at stride 1 or 2; `DepthwiseKernel` (scalar) the rest.
enum DepthwiseConv {
    static func forward(_ x: Tensor, _ w: Tensor, _ bias: Tensor?, _ g: ConvGeometry, _ y: Tensor) {
        let (n, c) = (x.shape[0], x.shape[1])
        let (inPlane, outPlane, taps) = (g.height * g.width, g.outPlane, g.kernelH * g.kernelW)
        // Two images or more: oneDNN's jit depthwise kernel, per fixed block of images on one
        // thread each (1.3–1.7× faster than the kernels here, reorders included). One image:
        // the kernels here, parallel over channels.
        if n >= 2 {
            let blocks = min(n, weightGradientBlocks)
            ThreadPool.shared.parallelFor(blocks) { range in
                for block in range {
                    let images = ThreadPool.chunk(block, of: blocks, count: n)
                    let plan = DNNLConv.plan(DNNLConv.Key(images: images.count, inputs: c, outputs: c, g,
                                                          bias: bias != nil, groups: c))
                    var inputs = [UnsafePointer(x.data + images.lowerBound * c * inPlane), UnsafePointer(w.data)]
                    if let bias { inputs.append(UnsafePointer(bias.data)) }
                    plan.forward.run(inputs, y.data + images.lowerBound * c * outPlane)
                }
            }
            return
        }
        let simd = DepthwiseSIMD.supports(g)
        ThreadPool.shared.parallelFor(n * c) { planes in
            let padded = simd ? PaddedPlane(g, base: Scratch.buffer(0, count: DepthwiseSIMD.scratch(g).plane)) : nil
            for p in planes {
                let ch = p % c, b = bias?.data[ch] ?? 0
                if let padded {
                    DepthwiseSIMD.forward(x.data + p * inPlane, w.data + ch * taps, bias: b, g, y.data + p * outPlane, plane: padded)
                } else {
                    DepthwiseKernel.forward(x.data + p * inPlane, w.data + ch * taps, bias: b, g, y.data + p * outPlane)
                }
            }
        }
    }

    static func backward(_ x: Tensor, _ w: Tensor, _ bias: Tensor?, _ g: ConvGeometry, _ dy: Tensor) {
        let (n, c) = (x.shape[0], x.shape[1])
        let (inPlane, outPlane, taps) = (g.height * g.width, g.outPlane, g.kernelH * g.kernelW)
        let simd = DepthwiseSIMD.supports(g)
        let sizes = DepthwiseSIMD.scratch(g)
        if x.requiresGrad {
            let (dx, accumulate) = x.gradTarget()
            let transposed = DepthwiseSIMD.transposedGeometry(g)
            let planeGeometry = transposed ?? g
            let planeSize = max(sizes.plane, PaddedPlane.floats(planeGeometry))
            ThreadPool.shared.parallelFor(n * c) { planes in
                let padded = simd ? PaddedPlane(planeGeometry, base: Scratch.buffer(0, count: planeSize)) : nil
                let rows = simd ? Scratch.buffer(1, count: sizes.dy) : nil
                for p in planes {
                    let grad = dy.data + p * outPlane, weight = w.data + (p % c) * taps, target = dx + p * inPlane
                    if let padded, let rows {
                        DepthwiseSIMD.backwardInput(grad, weight, g, target, accumulate: accumulate, transposed: transposed,
                                                    plane: padded, dyRows: rows)
                    } else {
                        if !accumulate { target.update(repeating: 0, count: inPlane) }
                        DepthwiseKernel.backwardInput(grad, weight, g, target)
                    }
                }
            }
        }
        if w.requiresGrad {
            let dw = w.zeroedGradTarget()
            ThreadPool.shared.parallelFor(c) { channels in
                let padded = simd ? PaddedPlane(g, base: Scratch.buffer(0, count: sizes.plane)) : nil
                let rows = simd ? Scratch.buffer(1, count: sizes.dy) : nil
                for ch in channels {
                    for img in 0..<n {
                        let p = img * c + ch
                        if let padded, let rows {
                            DepthwiseSIMD.backwardWeight(dy.data + p * outPlane, x.data + p * inPlane, g, dw + ch * taps,
                                                         plane: padded, dyRows: rows)
                        } else {
                            DepthwiseKernel.backwardWeight(dy.data + p * outPlane, x.data + p * inPlane, g, dw + ch * taps)
                        }
                    }
                }
            }
        }
        if let bias, bias.requiresGrad { biasBackward(dy, bias) }
    }
}
