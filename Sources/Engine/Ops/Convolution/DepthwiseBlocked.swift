/// Depthwise backward (input and weight gradients) on channel-blocked copies: 8 channels side by
/// side in one AVX2 vector, so every lane is used whatever the plane's width.
///
/// Why: the planes of the deep levels are 5–20 pixels wide, and vectorising along a row (as
/// `DepthwiseSIMD` does) leaves most lanes of a 16-wide vector empty there. Per task — one fixed
/// block of images (`weightGradientBlocks`) × 8 channels — each image's `dy` and `x` planes are
/// packed into [row][column][8] buffers with zero margins, and then:
/// - dw[t] += Σ over pixels of dy · x at tap t (four independent accumulators per tap);
/// - stride 1: dx is the correlation of dy, padded by k − 1 − p, with the flipped kernel;
/// - stride 2: dx is scattered into a padded plane, tap by tap, and its interior unpacked.
/// The weight gradient of each image block is a partial, summed in block order, so 1, 2 and 4
/// threads give the same bits.
enum DepthwiseBlocked {
    typealias Lanes = SIMD8<Float>
    static let lanes = 8

    /// Whether this path handles the geometry (otherwise `DepthwiseKernel` does).
    static func supports(_ g: ConvGeometry) -> Bool {
        g.dilation == 1 && (g.stride == 1 || g.stride == 2) && g.padding < min(g.kernelH, g.kernelW)
    }

    /// dx (+)= ∂L/∂x and w.grad (+)= ∂L/∂w for y = depthwise(x, w), each when required.
    static func backward(_ x: Tensor, _ w: Tensor, _ g: ConvGeometry, _ dy: Tensor) {
        let (n, c) = (x.shape[0], x.shape[1])
        let taps = g.kernelH * g.kernelW
        let channelBlocks = (c + lanes - 1) / lanes
        let blocks = min(n, weightGradientBlocks)
        let dx = x.requiresGrad ? x.gradTarget() : nil
        // Per image block: [channel block][tap][lane].
        let partialCount = channelBlocks * taps * lanes
        let partials = w.requiresGrad ? Storage(count: blocks * partialCount) : nil
        let layout = Layout(g)
        ThreadPool.shared.parallelFor(blocks * channelBlocks) { tasks in
            let dyPacked = Scratch.buffer(0, count: layout.dyFloats)
            let xPacked = Scratch.buffer(1, count: layout.xFloats)
            let dxPacked = Scratch.buffer(2, count: layout.dxFloats)
            let kernel = Scratch.buffer(3, count: taps * lanes)
            for task in tasks {
                let (block, cb) = (task / channelBlocks, task % channelBlocks)
                let c0 = cb * lanes, m = min(lanes, c - c0)
                let dwBlock = partials.map { $0.pointer + block * partialCount + cb * taps * lanes }
                if let dwBlock { dwBlock.update(repeating: 0, count: taps * lanes) }
                kernel.update(repeating: 0, count: taps * lanes)
                for lane in 0..<m {
                    for t in 0..<taps { kernel[t * lanes + lane] = w.data[(c0 + lane) * taps + t] }
                }
                for img in ThreadPool.chunk(block, of: blocks, count: n) {
                    let first = img * c + c0
                    pack(dy.data + first * g.outPlane, planes: m, height: g.outHeight, width: g.outWidth,
                         margin: layout.dyMargin, into: dyPacked)
                    if let dwBlock {
                        pack(x.data + first * g.height * g.width, planes: m, height: g.height, width: g.width,
                             margin: g.padding, into: xPacked)
                        weightGradient(dyPacked, xPacked, g, layout, into: dwBlock)
                    }
                    if let (dxp, accumulate) = dx {
                        inputGradient(dyPacked, UnsafePointer(kernel), g, layout, scratch: dxPacked)
                        let margin = g.stride == 1 ? 0 : g.padding
                        unpack(dxPacked, margin: margin, rowFloats: (g.width + 2 * margin) * lanes, planes: m,
                               height: g.height, width: g.width, into: dxp + first * g.height * g.width, accumulate: accumulate)
                    }
                }
            }
        }
        if let partials { reduceWeightGradient(partials, blocks: blocks, channelBlocks: channelBlocks, taps: taps, into: w) }
    }

    /// The packed buffers' shapes: dy with a margin of k − 1 − p at stride 1 (for the
    /// correlation), none at stride 2; x with its padding; dx unpadded at stride 1, padded at 2.
    struct Layout {
        let dyMargin: Int, dyRow: Int, dyFloats: Int
        let xRow: Int, xFloats: Int
        let dxFloats: Int

        init(_ g: ConvGeometry) {
            dyMargin = g.stride == 1 ? g.kernelH - 1 - g.padding : 0
            let dyMarginW = g.stride == 1 ? g.kernelW - 1 - g.padding : 0
            precondition(g.stride != 1 || dyMargin == dyMarginW, "DepthwiseBlocked: square margins only")
            dyRow = (g.outWidth + 2 * dyMargin) * DepthwiseBlocked.lanes
            dyFloats = (g.outHeight + 2 * dyMargin) * dyRow
            xRow = (g.width + 2 * g.padding) * DepthwiseBlocked.lanes
            xFloats = (g.height + 2 * g.padding) * xRow
            dxFloats = g.stride == 1 ? g.height * g.width * DepthwiseBlocked.lanes : xFloats
        }
    }

    /// Copies `planes` planes [H, W] (consecutive) into [H + 2m][W + 2m][8], zero margins and lanes.
    static func pack(_ source: UnsafePointer<Float>, planes: Int, height: Int, width: Int, margin: Int,
                     into out: UnsafeMutablePointer<Float>) {
        let rowFloats = (width + 2 * margin) * lanes
        let plane = height * width
        out.update(repeating: 0, count: margin * rowFloats)
        out.advanced(by: (margin + height) * rowFloats).update(repeating: 0, count: margin * rowFloats)
        for iy in 0..<height {
            let row = out + (iy + margin) * rowFloats
            row.update(repeating: 0, count: margin * lanes)
            (row + (margin + width) * lanes).update(repeating: 0, count: margin * lanes)
            let interior = row + margin * lanes
            if planes == lanes {
                transposeRow(source + iy * width, plane: plane, width: width, into: interior)
            } else {
                for ix in 0..<width {
                    var v = Lanes.zero
                    for lane in 0..<planes { v[lane] = source[lane * plane + iy * width + ix] }
                    interior.storeLanes(v, ix * lanes)
                }
            }
        }
    }

    /// One row of 8 full planes into [W][8]: 8 × 8 blocks transposed in registers.
    @inline(__always)
    static func transposeRow(_ source: UnsafePointer<Float>, plane: Int, width: Int, into out: UnsafeMutablePointer<Float>) {
        var ix = 0
        while ix + lanes <= width {
            var rows = (source.lanes(ix), source.lanes(plane + ix), source.lanes(2 * plane + ix), source.lanes(3 * plane + ix),
                        source.lanes(4 * plane + ix), source.lanes(5 * plane + ix), source.lanes(6 * plane + ix),
                        source.lanes(7 * plane + ix))
            transpose8(&rows)
            let o = out + ix * lanes
            o.storeLanes(rows.0, 0); o.storeLanes(rows.1, 8); o.storeLanes(rows.2, 16); o.storeLanes(rows.3, 24)
            o.storeLanes(rows.4, 32); o.storeLanes(rows.5, 40); o.storeLanes(rows.6, 48); o.storeLanes(rows.7, 56)
            ix += lanes
        }
        while ix < width {
            var v = Lanes.zero
            for lane in 0..<lanes { v[lane] = source[lane * plane + ix] }
            out.storeLanes(v, ix * lanes)
            ix += 1
        }
    }

    /// Transposes an 8 × 8 block: three rounds of de-interleaving the 64 values (each round
    /// rotates the bits of an element's index right by one; three rotate row and column apart).
    @inline(__always)
    static func transpose8(_ r: inout (Lanes, Lanes, Lanes, Lanes, Lanes, Lanes, Lanes, Lanes)) {
        for _ in 0..<3 {
            let a = SIMD16(lowHalf: r.0, highHalf: r.1), b = SIMD16(lowHalf: r.2, highHalf: r.3)
            let c = SIMD16(lowHalf: r.4, highHalf: r.5), d = SIMD16(lowHalf: r.6, highHalf: r.7)
            r = (a.evenHalf, b.evenHalf, c.evenHalf, d.evenHalf, a.oddHalf, b.oddHalf, c.oddHalf, d.oddHalf)
        }
    }

    /// Writes (or adds) the interior of a packed [rows][columns][8] buffer back into planes [H, W].
    static func unpack(_ packed: UnsafePointer<Float>, margin: Int, rowFloats: Int, planes: Int, height: Int, width: Int,
                       into target: UnsafeMutablePointer<Float>, accumulate: Bool) {
        let plane = height * width
        for iy in 0..<height {
            let row = packed + (iy + margin) * rowFloats + margin * lanes
            var ix = 0
            if planes == lanes {
                while ix + lanes <= width {
                    var r = (row.lanes(ix * 8), row.lanes(ix * 8 + 8), row.lanes(ix * 8 + 16), row.lanes(ix * 8 + 24),
                             row.lanes(ix * 8 + 32), row.lanes(ix * 8 + 40), row.lanes(ix * 8 + 48), row.lanes(ix * 8 + 56))
                    transpose8(&r)
                    let o = target + iy * width + ix
                    func put(_ v: Lanes, _ lane: Int) {
                        let p = o + lane * plane
                        p.storeLanes(accumulate ? p.lanes(0) + v : v, 0)
                    }
                    put(r.0, 0); put(r.1, 1); put(r.2, 2); put(r.3, 3); put(r.4, 4); put(r.5, 5); put(r.6, 6); put(r.7, 7)
                    ix += lanes
                }
            }
            while ix < width {
                let v = row.lanes(ix * lanes)
                for lane in 0..<planes {
                    let p = target + lane * plane + iy * width + ix
                    p.pointee = accumulate ? p.pointee + v[lane] : v[lane]
                }
                ix += 1
            }
        }
    }

    /// dw[t] += Σ_oy,ox dy[oy, ox] · x[oy·s + ki, ox·s + kj] (padded x), four accumulators per tap.
    static func weightGradient(_ dy: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ g: ConvGeometry, _ layout: Layout,
                               into dw: UnsafeMutablePointer<Float>) {
        let (oh, ow, s) = (g.outHeight, g.outWidth, g.stride)
        let dyStart = layout.dyMargin * layout.dyRow + layout.dyMargin * lanes
        let step = s * lanes
        for ki in 0..<g.kernelH {
            for kj in 0..<g.kernelW {
                var (a0, a1, a2, a3) = (Lanes.zero, Lanes.zero, Lanes.zero, Lanes.zero)
                for oy in 0..<oh {
                    let d = dy + dyStart + oy * layout.dyRow
                    let v = x + (oy * s + ki) * layout.xRow + kj * lanes
                    var ox = 0
                    while ox + 4 <= ow {
                        a0 = a0.addingProduct(d.lanes(ox * 8), v.lanes(ox * step))
                        a1 = a1.addingProduct(d.lanes(ox * 8 + 8), v.lanes(ox * step + step))
                        a2 = a2.addingProduct(d.lanes(ox * 8 + 16), v.lanes(ox * step + 2 * step))
                        a3 = a3.addingProduct(d.lanes(ox * 8 + 24), v.lanes(ox * step + 3 * step))
                        ox += 4
                    }
                    while ox < ow {
                        a0 = a0.addingProduct(d.lanes(ox * 8), v.lanes(ox * step))
                        ox += 1
                    }
                }
                let t = (ki * g.kernelW + kj) * lanes
                dw.storeLanes(dw.lanes(t) + ((a0 + a1) + (a2 + a3)), t)
            }
        }
    }

    /// dx = ∂L/∂x for one image's 8 channels, packed: [H][W][8] at stride 1, [H + 2p][W + 2p][8] at 2.
    static func inputGradient(_ dy: UnsafePointer<Float>, _ kernel: UnsafePointer<Float>, _ g: ConvGeometry, _ layout: Layout,
                              scratch dx: UnsafeMutablePointer<Float>) {
        if g.stride == 1 {
            correlateFlipped(dy, kernel, g, layout, into: dx)
        } else {
            scatter(dy, kernel, g, layout, into: dx)
        }
    }

    /// Stride 1: dx[iy, ix] = Σ w[kh−1−ki, kw−1−kj] · dy_padded[iy + ki, ix + kj], four pixels at a time.
    static func correlateFlipped(_ dy: UnsafePointer<Float>, _ kernel: UnsafePointer<Float>, _ g: ConvGeometry,
                                 _ layout: Layout, into dx: UnsafeMutablePointer<Float>) {
        let (kh, kw, h, wd) = (g.kernelH, g.kernelW, g.height, g.width)
        @inline(__always) func flipped(_ ki: Int, _ kj: Int) -> Lanes { kernel.lanes(((kh - 1 - ki) * kw + (kw - 1 - kj)) * lanes) }
        for iy in 0..<h {
            let out = dx + iy * wd * lanes
            var ix = 0
            while ix + 4 <= wd {
                var (a0, a1, a2, a3) = (Lanes.zero, Lanes.zero, Lanes.zero, Lanes.zero)
                for ki in 0..<kh {
                    let d = dy + (iy + ki) * layout.dyRow + ix * lanes
                    for kj in 0..<kw {
                        let wv = flipped(ki, kj), e = d + kj * lanes
                        a0 = a0.addingProduct(wv, e.lanes(0))
                        a1 = a1.addingProduct(wv, e.lanes(8))
                        a2 = a2.addingProduct(wv, e.lanes(16))
                        a3 = a3.addingProduct(wv, e.lanes(24))
                    }
                }
                let o = out + ix * lanes
                o.storeLanes(a0, 0); o.storeLanes(a1, 8); o.storeLanes(a2, 16); o.storeLanes(a3, 24)
                ix += 4
            }
            while ix < wd {
                var a = Lanes.zero
                for ki in 0..<kh {
                    let d = dy + (iy + ki) * layout.dyRow + ix * lanes
                    for kj in 0..<kw { a = a.addingProduct(flipped(ki, kj), d.lanes(kj * lanes)) }
                }
                out.storeLanes(a, ix * lanes)
                ix += 1
            }
        }
    }

    /// Stride 2: dx_padded[oy·2 + ki, ox·2 + kj] += w[ki, kj] · dy[oy, ox].
    static func scatter(_ dy: UnsafePointer<Float>, _ kernel: UnsafePointer<Float>, _ g: ConvGeometry, _ layout: Layout,
                        into dx: UnsafeMutablePointer<Float>) {
        dx.update(repeating: 0, count: layout.xFloats)
        let (kh, kw, step) = (g.kernelH, g.kernelW, 2 * lanes)
        for oy in 0..<g.outHeight {
            let d = dy + oy * layout.dyRow
            for ki in 0..<kh {
                let row = dx + (oy * 2 + ki) * layout.xRow
                for ox in 0..<g.outWidth {
                    let v = d.lanes(ox * lanes), o = row + ox * step
                    for kj in 0..<kw { o.storeLanes(o.lanes(kj * lanes).addingProduct(kernel.lanes((ki * kw + kj) * lanes), v), kj * lanes) }
                }
            }
        }
    }

    /// w.grad (+)= Σ over image blocks, in block order, of the packed partials.
    static func reduceWeightGradient(_ partials: Storage, blocks: Int, channelBlocks: Int, taps: Int, into w: Tensor) {
        let (dw, accumulate) = w.gradTarget()
        let c = w.shape[0], stride = channelBlocks * taps * lanes
        let p = UnsafePointer(partials.pointer)
        for ch in 0..<c {
            let (cb, lane) = (ch / lanes, ch % lanes)
            for t in 0..<taps {
                let i = (cb * taps + t) * lanes + lane
                var sum: Float = accumulate ? dw[ch * taps + t] : 0
                for b in 0..<blocks { sum += p[b * stride + i] }
                dw[ch * taps + t] = sum
            }
        }
    }
}

extension UnsafePointer<Float> {
    @inline(__always) func lanes(_ i: Int) -> SIMD8<Float> { UnsafeRawPointer(self + i).loadUnaligned(as: SIMD8<Float>.self) }
}

extension UnsafeMutablePointer<Float> {
    @inline(__always) func lanes(_ i: Int) -> SIMD8<Float> { UnsafeRawPointer(self + i).loadUnaligned(as: SIMD8<Float>.self) }
    @inline(__always) func storeLanes(_ v: SIMD8<Float>, _ i: Int) {
        UnsafeMutableRawPointer(self + i).storeBytes(of: v, as: SIMD8<Float>.self)
    }
}
