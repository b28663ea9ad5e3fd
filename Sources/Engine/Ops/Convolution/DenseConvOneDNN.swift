/// Dense convolutions (groups 1) on oneDNN's direct convolution (`DNNLConv`), forward and backward.
///
/// Images are cut into `weightGradientBlocks` fixed blocks, one oneDNN call each on one pool thread,
/// so 1 and 2 threads give the same bits. (Giving oneDNN OpenMP threads of its own was slower:
/// they and the pool's spin against each other on 2 cores.)
enum DenseConv {
    static func forward(_ x: Tensor, _ w: Tensor, _ bias: Tensor?, _ g: ConvGeometry, _ y: Tensor) {
        let n = x.shape[0], o = w.shape[0]
        let rows = g.columnRows, inImage = x.shape[1] * g.height * g.width, outImage = o * g.outPlane
        func run(_ images: Range<Int>, channels: Range<Int>) {
            let plan = DNNLConv.plan(DNNLConv.Key(images: images.count, inputs: x.shape[1], outputs: channels.count, g, bias: bias != nil))
            var inputs = [UnsafePointer(x.data + images.lowerBound * inImage), UnsafePointer(w.data + channels.lowerBound * rows)]
            if let bias { inputs.append(UnsafePointer(bias.data + channels.lowerBound)) }
            plan.forward.run(inputs, y.data + images.lowerBound * outImage + channels.lowerBound * g.outPlane)
        }
        // One image (batch-1 inference) is split by output channels instead, in runs of 16, one
        // run of channels per thread.
        if n == 1 && ThreadPool.shared.threadCount > 1 {
            let runs = (o + 15) / 16
            ThreadPool.shared.parallelFor(runs) { blocks in
                run(0..<1, channels: (blocks.lowerBound * 16)..<min(blocks.upperBound * 16, o))
            }
            return
        }
        let blocks = min(n, weightGradientBlocks)
        ThreadPool.shared.parallelFor(blocks) { range in
            for block in range { run(ThreadPool.chunk(block, of: blocks, count: n), channels: 0..<o) }
        }
    }

    /// Per fixed block of images, on one thread each, the input gradient and the block's slice of
    /// the weight gradient (added in block order).
    static func backward(_ x: Tensor, _ w: Tensor, _ bias: Tensor?, _ g: ConvGeometry, _ dy: Tensor) {
        let n = x.shape[0]
        let inImage = x.shape[1] * g.height * g.width, outImage = w.shape[0] * g.outPlane
        let blocks = min(n, weightGradientBlocks)
        let dx = x.requiresGrad ? x.gradTarget() : nil
        let partials = w.requiresGrad ? Storage(count: blocks * w.count) : nil
        ThreadPool.shared.parallelFor(blocks) { range in
            for block in range {
                let images = ThreadPool.chunk(block, of: blocks, count: n)
                let plan = DNNLConv.plan(DNNLConv.Key(images: images.count, inputs: x.shape[1], outputs: w.shape[0], g,
                                                      bias: bias != nil))
                let xs = UnsafePointer(x.data + images.lowerBound * inImage)
                let dys = UnsafePointer(dy.data + images.lowerBound * outImage)
                if let partials { plan.backwardWeights!.run([xs, dys], partials.pointer + block * w.count) }
                if let (dxp, accumulate) = dx {
                    let target = dxp + images.lowerBound * inImage, count = images.count * inImage
                    if accumulate {
                        let fresh = Scratch.buffer(4, count: count)
                        plan.backwardData!.run([dys, UnsafePointer(w.data)], fresh)
                        addFloats(target, fresh, count)
                    } else {
                        plan.backwardData!.run([dys, UnsafePointer(w.data)], target)
                    }
                }
            }
        }
        if let partials { addWeightGradientPartials(partials, blocks: blocks, into: w) }
        if let bias, bias.requiresGrad { biasBackward(dy, bias) }
    }
}
