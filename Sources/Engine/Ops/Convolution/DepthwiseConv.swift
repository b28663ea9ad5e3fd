/// The depthwise path: forward on oneDNN for two images or more, otherwise one task per
/// (image, channel) plane on `DepthwiseSIMD`; backward on `DepthwiseBlocked`, 8 channels at a
/// time. `DepthwiseKernel` (scalar) runs the geometries those two do not.
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
            let padded = simd ? PaddedPlane(g, base: Scratch.buffer(0, count: PaddedPlane.floats(g))) : nil
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
        if DepthwiseBlocked.supports(g) {
            DepthwiseBlocked.backward(x, w, g, dy)
        } else {
            scalarBackward(x, w, g, dy)
        }
        if let bias, bias.requiresGrad { biasBackward(dy, bias) }
    }

    /// Other geometries (dilation 2 and more): `DepthwiseKernel`, one task per plane for dx and
    /// one per channel for dw.
    static func scalarBackward(_ x: Tensor, _ w: Tensor, _ g: ConvGeometry, _ dy: Tensor) {
        let (n, c) = (x.shape[0], x.shape[1])
        let (inPlane, outPlane, taps) = (g.height * g.width, g.outPlane, g.kernelH * g.kernelW)
        if x.requiresGrad {
            let (dx, accumulate) = x.gradTarget()
            ThreadPool.shared.parallelFor(n * c) { planes in
                for p in planes {
                    let target = dx + p * inPlane
                    if !accumulate { target.update(repeating: 0, count: inPlane) }
                    DepthwiseKernel.backwardInput(dy.data + p * outPlane, w.data + (p % c) * taps, g, target)
                }
            }
        }
        if w.requiresGrad {
            let dw = w.zeroedGradTarget()
            ThreadPool.shared.parallelFor(c) { channels in
                for ch in channels {
                    for img in 0..<n {
                        let p = img * c + ch
                        DepthwiseKernel.backwardWeight(dy.data + p * outPlane, x.data + p * inPlane, g, dw + ch * taps)
                    }
                }
            }
        }
    }
}
