/// Grouped convolutions as y = W_g · columns(x) per group on OpenBLAS (im2col + GEMM), and the
/// backward of dense 1×1 convolutions on small planes.
///
/// Images are cut into `weightGradientBlocks` fixed blocks, one task each. Within a block, images
/// with small planes are laid side by side in one column matrix so each GEMM has ≥ 1024 columns:
/// a 5×5 P5 plane alone would give OpenBLAS a 25-column product, which runs far below its peak.
enum GroupedConv {
    /// Planes of at most this many pixels (4 × 4) are small: there the backward of a 1×1 convolution
    /// is two plain GEMMs over the images side by side, faster than oneDNN's backward primitives
    /// (docs/engine.md: training steps at 64 px 11–18 % faster; no plane at 160 px is this small).
    static let smallPlane = 16

    /// The images one GEMM takes: enough that the product has about 1024 columns.
    static func imagesPerGEMM(cols: Int, n: Int) -> Int {
        cols >= 1024 ? 1 : max(1, min((n + weightGradientBlocks - 1) / weightGradientBlocks, (1024 + cols - 1) / cols))
    }

    /// Geometry and strides shared by forward and backward.
    struct Layout {
        let g: ConvGeometry
        let groups: Int, og: Int, rows: Int, cols: Int
        let inImage: Int, inGroup: Int, outImage: Int
        let perGEMM: Int
        let padded: Bool

        init(_ x: Tensor, _ w: Tensor, _ groups: Int, _ g: ConvGeometry) {
            let (n, c, o) = (x.shape[0], x.shape[1], w.shape[0])
            self.g = g
            self.groups = groups
            og = o / groups
            rows = g.columnRows
            cols = g.outPlane
            inImage = c * g.height * g.width
            inGroup = g.channels * g.height * g.width
            outImage = o * g.outPlane
            perGEMM = GroupedConv.imagesPerGEMM(cols: g.outPlane, n: n)
            padded = DepthwiseSIMD.supports(g) && !g.isPointwise
        }

        /// Writes the column matrix [rows, B·cols] of `images` (one group) into `col`, image b at
        /// column b·cols; returns the matrix to multiply (x itself for one 1×1 image).
        func columns(_ x: UnsafePointer<Float>, _ images: Range<Int>, group: Int,
                     col: UnsafeMutablePointer<Float>, plane: PaddedPlane?) -> UnsafePointer<Float> {
            let ld = images.count * cols
            if g.isPointwise && images.count == 1 { return x + images.lowerBound * inImage + group * inGroup }
            for (b, img) in images.enumerated() {
                let xg = x + img * inImage + group * inGroup, dst = col + b * cols
                if g.isPointwise {
                    for r in 0..<rows { copyFloats(dst + r * ld, xg + r * cols, cols) }
                } else if let plane {
                    im2col(xg, g, dst, rowStride: ld, plane: plane)
                } else {
                    im2col(xg, g, dst, rowStride: ld)
                }
            }
            return UnsafePointer(col)
        }

        /// Scratch sizes per thread: column matrix and per-group output/gradient matrix.
        var columnFloats: Int { rows * perGEMM * cols }
        var groupFloats: Int { og * perGEMM * cols }
    }

    static func forward(_ x: Tensor, _ w: Tensor, _ bias: Tensor?, _ groups: Int, _ g: ConvGeometry, _ y: Tensor) {
        let n = x.shape[0], o = w.shape[0]
        let l = Layout(x, w, groups, g)
        if n == 1 {
            forwardSplittingChannels(x, w, bias, l, y)
            return
        }
        let blocks = min(n, weightGradientBlocks)
        ThreadPool.shared.parallelFor(blocks) { range in
            let col = Scratch.buffer(0, count: l.columnFloats)
            let tmp = Scratch.buffer(3, count: l.groupFloats)
            let plane = l.padded ? PaddedPlane(g, base: Scratch.buffer(2, count: PaddedPlane.floats(g))) : nil
            for block in range {
                let images = ThreadPool.chunk(block, of: blocks, count: n)
                for start in stride(from: images.lowerBound, to: images.upperBound, by: l.perGEMM) {
                    let batch = start..<min(start + l.perGEMM, images.upperBound)
                    let ld = batch.count * l.cols
                    for group in 0..<groups {
                        let b = l.columns(x.data, batch, group: group, col: col, plane: plane)
                        let wg = w.data + group * l.og * l.rows
                        if batch.count == 1 {
                            BLAS.sgemm(m: l.og, n: l.cols, k: l.rows, a: wg, lda: l.rows, b: b, ldb: ld,
                                       c: y.data + start * l.outImage + group * l.og * l.cols, ldc: l.cols)
                        } else {
                            BLAS.sgemm(m: l.og, n: ld, k: l.rows, a: wg, lda: l.rows, b: b, ldb: ld, c: tmp, ldc: ld)
                            for (i, img) in batch.enumerated() {
                                for ch in 0..<l.og {
                                    copyFloats(y.data + img * l.outImage + (group * l.og + ch) * l.cols,
                                               tmp + ch * ld + i * l.cols, l.cols)
                                }
                            }
                        }
                    }
                    if let bias {
                        for img in batch {
                            for ch in 0..<o {
                                mapElements(y.data + img * l.outImage + ch * l.cols, y.data + img * l.outImage + ch * l.cols,
                                            l.cols, Affine(scale: 1, shift: bias.data[ch]))
                            }
                        }
                    }
                }
            }
        }
    }

    /// Forward of one image (batch-1 inference): each GEMM's output channels are split across the
    /// threads in blocks of 16, after one shared column matrix per group. Each block is its own
    /// GEMM on any thread count, so one and two threads give the same bits (OpenBLAS's result for
    /// a row depends on the GEMM's height).
    private static func forwardSplittingChannels(_ x: Tensor, _ w: Tensor, _ bias: Tensor?, _ l: Layout, _ y: Tensor) {
        let col = Storage(count: l.rows * l.cols)
        // Row blocks of 16 keep every thread's GEMM on whole micro-tiles.
        let rowBlocks = (l.og + 15) / 16
        let taps = l.g.kernelH * l.g.kernelW
        var single = l.g
        single.channels = 1
        for img in 0..<x.shape[0] {
            for group in 0..<l.groups {
                let xg = x.data + img * l.inImage + group * l.inGroup
                var b = UnsafePointer(xg)
                if !l.g.isPointwise {
                    // Each thread unfolds its share of the input channels.
                    ThreadPool.shared.parallelFor(l.g.channels) { channels in
                        let plane = l.padded ? PaddedPlane(single, base: Scratch.buffer(2, count: PaddedPlane.floats(single))) : nil
                        for c in channels {
                            let src = xg + c * l.g.height * l.g.width, dst = col.pointer + c * taps * l.cols
                            if let plane { im2col(src, single, dst, rowStride: l.cols, plane: plane) } else { im2col(src, single, dst, rowStride: l.cols) }
                        }
                    }
                    b = UnsafePointer(col.pointer)
                }
                let wg = w.data + group * l.og * l.rows
                let out = y.data + img * l.outImage + group * l.og * l.cols
                ThreadPool.shared.parallelFor(rowBlocks) { blocks in
                    for block in blocks {
                        let rows = (block * 16)..<min(block * 16 + 16, l.og)
                        BLAS.sgemm(m: rows.count, n: l.cols, k: l.rows, a: wg + rows.lowerBound * l.rows, lda: l.rows,
                                   b: b, ldb: l.cols, c: out + rows.lowerBound * l.cols, ldc: l.cols)
                        if let bias {
                            for ch in rows {
                                mapElements(out + ch * l.cols, out + ch * l.cols, l.cols, Affine(scale: 1, shift: bias.data[group * l.og + ch]))
                            }
                        }
                    }
                }
            }
        }
    }

    static func backward(_ x: Tensor, _ w: Tensor, _ bias: Tensor?, _ groups: Int, _ g: ConvGeometry, _ dy: Tensor) {
        let n = x.shape[0]
        let l = Layout(x, w, groups, g)
        // The images are cut into a fixed number of blocks, whatever the thread count; each block
        // sums its weight gradient into its own slice, and the slices are added in block order.
        // So the result is the same run after run and with 1 or 2 threads.
        let blocks = min(n, weightGradientBlocks)
        let dx = x.requiresGrad ? x.gradTarget() : nil
        let partials = w.requiresGrad ? Storage(count: blocks * w.count) : nil
        ThreadPool.shared.parallelFor(blocks) { range in
            let col = Scratch.buffer(0, count: l.columnFloats)
            let dcol = Scratch.buffer(1, count: l.columnFloats)
            let gathered = Scratch.buffer(3, count: l.groupFloats)
            let plane = l.padded ? PaddedPlane(g, base: Scratch.buffer(2, count: PaddedPlane.floats(g))) : nil
            for block in range {
                let images = ThreadPool.chunk(block, of: blocks, count: n)
                let dwPart = partials.map { $0.pointer + block * w.count }
                for start in stride(from: images.lowerBound, to: images.upperBound, by: l.perGEMM) {
                    let batch = start..<min(start + l.perGEMM, images.upperBound)
                    let ld = batch.count * l.cols
                    for group in 0..<groups {
                        // dY of this group as [og, B·cols].
                        let dyB: UnsafePointer<Float>
                        if batch.count == 1 {
                            dyB = UnsafePointer(dy.data + start * l.outImage + group * l.og * l.cols)
                        } else {
                            for (i, img) in batch.enumerated() {
                                for ch in 0..<l.og {
                                    copyFloats(gathered + ch * ld + i * l.cols,
                                               dy.data + img * l.outImage + (group * l.og + ch) * l.cols, l.cols)
                                }
                            }
                            dyB = UnsafePointer(gathered)
                        }
                        if let dwPart {
                            let b = l.columns(x.data, batch, group: group, col: col, plane: plane)
                            BLAS.sgemm(transB: true, m: l.og, n: l.rows, k: ld, a: dyB, lda: ld, b: b, ldb: ld,
                                       beta: start == images.lowerBound ? 0 : 1, c: dwPart + group * l.og * l.rows, ldc: l.rows)
                        }
                        if let (dxp, accumulate) = dx {
                            backwardInput(l, w.data + group * l.og * l.rows, dyB, batch, group: group,
                                          dx: dxp, accumulate: accumulate, dcol: dcol, plane: plane)
                        }
                    }
                }
            }
        }
        if let partials { addWeightGradientPartials(partials, blocks: blocks, into: w) }
        if let bias, bias.requiresGrad { biasBackward(dy, bias) }
    }


    /// dx of `images` (one group) from dY [og, B·cols]: dcol = W_gᵀ · dY, folded back per image.
    private static func backwardInput(_ l: Layout, _ wg: UnsafePointer<Float>, _ dyB: UnsafePointer<Float>,
                                      _ images: Range<Int>, group: Int, dx: UnsafeMutablePointer<Float>, accumulate: Bool,
                                      dcol: UnsafeMutablePointer<Float>, plane: PaddedPlane?) {
        let ld = images.count * l.cols
        if l.g.isPointwise && images.count == 1 {
            BLAS.sgemm(transA: true, m: l.rows, n: l.cols, k: l.og, a: wg, lda: l.rows, b: dyB, ldb: ld,
                       beta: accumulate ? 1 : 0, c: dx + images.lowerBound * l.inImage + group * l.inGroup, ldc: l.cols)
            return
        }
        BLAS.sgemm(transA: true, m: l.rows, n: ld, k: l.og, a: wg, lda: l.rows, b: dyB, ldb: ld, c: dcol, ldc: ld)
        for (i, img) in images.enumerated() {
            let dxg = dx + img * l.inImage + group * l.inGroup, src = dcol + i * l.cols
            if l.g.isPointwise {
                for r in 0..<l.rows {
                    if accumulate { addFloats(dxg + r * l.cols, src + r * ld, l.cols) } else { copyFloats(dxg + r * l.cols, src + r * ld, l.cols) }
                }
            } else if let plane {
                col2im(src, l.g, dxg, rowStride: ld, accumulate: accumulate, plane: plane)
            } else {
                if !accumulate { dxg.update(repeating: 0, count: l.inGroup) }
                col2im(src, l.g, dxg, rowStride: ld)
            }
        }
    }
}
