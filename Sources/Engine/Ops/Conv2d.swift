/// 2-D convolution with any kernel size, stride, padding, dilation and groups, bias optional.
///
/// x: [N, C, H, W], w: [O, C/groups, kH, kW], bias: [O] → [N, O, H', W'] with
/// H' = (H + 2·padding − dilation·(kH − 1) − 1) / stride + 1 (torch.nn.functional.conv2d).
/// Depthwise convolutions (groups == C == O) run a direct SIMD kernel; the rest run
/// im2col + one GEMM per image and group (a plain GEMM for 1×1).
public func conv2d(_ x: Tensor, _ w: Tensor, bias: Tensor? = nil,
                   stride: Int = 1, padding: Int = 0, dilation: Int = 1, groups: Int = 1) -> Tensor {
    let (n, c, h, wd) = x.shape.nchw("conv2d input")
    let (o, cg, kh, kw) = w.shape.nchw("conv2d weight")
    precondition(stride >= 1 && dilation >= 1 && padding >= 0 && groups >= 1,
                 "conv2d: invalid stride \(stride), padding \(padding), dilation \(dilation) or groups \(groups)")
    precondition(c % groups == 0 && o % groups == 0 && cg == c / groups,
                 "conv2d: input \(x.shape) and weight \(w.shape) do not match with groups \(groups)")
    if let bias { precondition(bias.shape == [o], "conv2d: bias \(bias.shape) for \(o) output channels") }
    let g = ConvGeometry(channels: cg, height: h, width: wd, kernelH: kh, kernelW: kw,
                         stride: stride, padding: padding, dilation: dilation)
    precondition(g.outHeight >= 1 && g.outWidth >= 1,
                 "conv2d: kernel \(kh)×\(kw) (dilation \(dilation), padding \(padding)) larger than input \(x.shape)")
    let y = Tensor(uninitialized: [n, o, g.outHeight, g.outWidth])
    let isDepthwise = groups == c && o == c
    if isDepthwise {
        DepthwiseConv.forward(x, w, bias, g, y)
    } else {
        GroupedGEMMConv.forward(x, w, bias, groups, g, y)
    }
    if Autograd.needsGrad(x, w, bias) {
        Autograd.record([y]) {
            guard let dy = y.grad else { return }
            if isDepthwise {
                DepthwiseConv.backward(x, w, bias, g, dy)
            } else {
                GroupedGEMMConv.backward(x, w, bias, groups, g, dy)
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

/// The depthwise path: one task per (image, channel) plane, weights reduced per channel.
/// `DepthwiseSIMD` runs dilation 1 at stride 1 or 2; `DepthwiseKernel` (scalar) the rest.
enum DepthwiseConv {
    static func forward(_ x: Tensor, _ w: Tensor, _ bias: Tensor?, _ g: ConvGeometry, _ y: Tensor) {
        let (n, c) = (x.shape[0], x.shape[1])
        let (inPlane, outPlane, taps) = (g.height * g.width, g.outPlane, g.kernelH * g.kernelW)
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

/// The GEMM path: per image and group, y = W_g · im2col(x) (x itself for 1×1), one image per task.
enum GroupedGEMMConv {
    static func forward(_ x: Tensor, _ w: Tensor, _ bias: Tensor?, _ groups: Int, _ g: ConvGeometry, _ y: Tensor) {
        let (n, c, o) = (x.shape[0], x.shape[1], w.shape[0])
        let (og, rows, cols) = (o / groups, g.columnRows, g.outPlane)
        let inImage = c * g.height * g.width, outImage = o * cols
        let padded = DepthwiseSIMD.supports(g) && !g.isPointwise
        ThreadPool.shared.parallelFor(n) { images in
            let col = g.isPointwise ? nil : Scratch.buffer(0, count: rows * cols)
            let plane = padded ? PaddedPlane(g, base: Scratch.buffer(2, count: PaddedPlane.floats(g))) : nil
            for img in images {
                for group in 0..<groups {
                    let xg = x.data + img * inImage + group * g.channels * g.height * g.width
                    if let col { if let plane { im2col(xg, g, col, plane: plane) } else { im2col(xg, g, col) } }
                    BLAS.sgemm(m: og, n: cols, k: rows, a: w.data + group * og * rows, lda: rows,
                               b: col ?? xg, ldb: cols, c: y.data + img * outImage + group * og * cols, ldc: cols)
                }
                if let bias {
                    for ch in 0..<o {
                        let out = y.data + img * outImage + ch * cols
                        let b = bias.data[ch]
                        for i in 0..<cols { out[i] += b }
                    }
                }
            }
        }
    }

    static func backward(_ x: Tensor, _ w: Tensor, _ bias: Tensor?, _ groups: Int, _ g: ConvGeometry, _ dy: Tensor) {
        let (n, c, o) = (x.shape[0], x.shape[1], w.shape[0])
        let (og, rows, cols) = (o / groups, g.columnRows, g.outPlane)
        let inImage = c * g.height * g.width, outImage = o * cols, inGroup = g.channels * g.height * g.width
        // The images are cut into a fixed number of blocks, whatever the thread count; each block
        // sums its weight gradient into its own slice, and the slices are added in block order.
        // So the result is the same run after run and with 1 or 2 threads.
        let blocks = min(n, weightGradientBlocks)
        let dx = x.requiresGrad ? x.gradTarget() : nil
        let partials = w.requiresGrad ? Storage(count: blocks * w.count) : nil
        let padded = DepthwiseSIMD.supports(g) && !g.isPointwise
        ThreadPool.shared.parallelFor(blocks) { range in
            let col = g.isPointwise ? nil : Scratch.buffer(0, count: rows * cols)
            let dcol = g.isPointwise ? nil : Scratch.buffer(1, count: rows * cols)
            let plane = padded ? PaddedPlane(g, base: Scratch.buffer(2, count: PaddedPlane.floats(g))) : nil
            for block in range {
                let dwPart = partials.map { $0.pointer + block * w.count }
                for img in ThreadPool.chunk(block, of: blocks, count: n) {
                    let first = img == ThreadPool.chunk(block, of: blocks, count: n).lowerBound
                    for group in 0..<groups {
                        let xg = x.data + img * inImage + group * inGroup
                        let dyg = dy.data + img * outImage + group * og * cols
                        let wg = w.data + group * og * rows
                        if let dwPart {
                            if let col { if let plane { im2col(xg, g, col, plane: plane) } else { im2col(xg, g, col) } }
                            BLAS.sgemm(transB: true, m: og, n: rows, k: cols, a: dyg, lda: cols, b: col ?? xg, ldb: cols,
                                       beta: first ? 0 : 1, c: dwPart + group * og * rows, ldc: rows)
                        }
                        if let (dxp, accumulate) = dx {
                            let dxg = dxp + img * inImage + group * inGroup
                            if let dcol {
                                BLAS.sgemm(transA: true, m: rows, n: cols, k: og, a: wg, lda: rows, b: dyg, ldb: cols,
                                           c: dcol, ldc: cols)
                                if let plane {
                                    col2im(dcol, g, dxg, accumulate: accumulate, plane: plane)
                                } else {
                                    if !accumulate { dxg.update(repeating: 0, count: inGroup) }
                                    col2im(dcol, g, dxg)
                                }
                            } else {
                                BLAS.sgemm(transA: true, m: rows, n: cols, k: og, a: wg, lda: rows, b: dyg, ldb: cols,
                                           beta: accumulate ? 1 : 0, c: dxg, ldc: cols)
                            }
                        }
                    }
                }
            }
        }
        if let partials {
            let (dw, accumulate) = w.gradTarget()
            let count = w.count
            parallelElements(count) { range in
                for i in range {
                    var sum: Float = accumulate ? dw[i] : 0
                    for b in 0..<blocks { sum += partials.pointer[b * count + i] }
                    dw[i] = sum
                }
            }
        }
        if let bias, bias.requiresGrad { biasBackward(dy, bias) }
    }
}
