/// Depthwise backward (input and weight gradients) on channel-blocked copies: 8 channels side by
/// side in one AVX2 vector, so every lane is used whatever the plane's width.
///
/// Why: the planes of the deep levels are 5–20 pixels wide, and vectorising along a row (as
/// `DepthwiseSIMD` does) leaves most lanes of a 16-wide vector empty there. Per task — one fixed
/// block of images (`weightGradientBlocks`) × 8 channels — each image's `dy` and `x` planes are
/// packed into [row][column][8] buffers with zero margins (8 × 8 blocks transposed in registers),
/// and then:
/// - stride 1 ("same" padding): dy and x share one padded row length, so every tap's weight
///   gradient and the input gradient (dy correlated with the flipped kernel) are single runs over
///   the flat padded buffer, the margins' zeros cancelling what falls outside;
/// - stride 2: row by row, dx scattered into a padded plane tap by tap.
/// The weight gradient of each image block is a partial, summed in block order, so 1, 2 and 4
/// threads give the same bits.
enum DepthwiseBlocked {
    typealias Lanes = SIMD8<Float>
    static let lanes = 8

    /// Whether this path handles the geometry (otherwise `DepthwiseKernel` does).
    static func supports(_ g: ConvGeometry) -> Bool {
        guard g.dilation == 1 else { return false }
        if g.stride == 1 { return 2 * g.padding == g.kernelH - 1 && 2 * g.padding == g.kernelW - 1 }
        return g.stride == 2 && g.padding < min(g.kernelH, g.kernelW)
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
        let l = Layout(g)
        ThreadPool.shared.parallelFor(blocks * channelBlocks) { tasks in
            let dyPacked = Scratch.buffer(0, count: l.dy.floats)
            let xPacked = Scratch.buffer(1, count: l.x.floats)
            let dxPacked = Scratch.buffer(2, count: l.dx.floats)
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
                    pack(dy.data + first * g.outPlane, planes: m, l.dy, into: dyPacked)
                    if let dwBlock {
                        pack(x.data + first * g.height * g.width, planes: m, l.x, into: xPacked)
                        weightGradient(dyPacked, xPacked, g, l, into: dwBlock)
                    }
                    if let (dxp, accumulate) = dx {
                        inputGradient(dyPacked, UnsafePointer(kernel), g, l, into: dxPacked)
                        unpack(dxPacked, l.dx, planes: m, into: dxp + first * g.height * g.width, accumulate: accumulate)
                    }
                }
            }
        }
        if let partials { reduceWeightGradient(partials, blocks: blocks, channelBlocks: channelBlocks, taps: taps, into: w) }
    }

    /// Where a packed plane's pixels sit: pixel (iy, ix) at (iy + margin) · row + ix + margin, in
    /// `rows` rows, then `slack` pixels that the flat runs may read past the end (zeros).
    struct Packing {
        let height: Int, width: Int, margin: Int, row: Int, rows: Int, slack: Int
        var floats: Int { (rows * row + slack) * DepthwiseBlocked.lanes }
    }

    /// The packings of one geometry: x with its padding; dy with the same margin and row at
    /// stride 1, unpadded at 2; dx computed on dy's rows (margin 0) at stride 1, padded as x at 2.
    struct Layout {
        let x: Packing, dy: Packing, dx: Packing

        init(_ g: ConvGeometry) {
            let (p, slack) = (g.padding, g.kernelW)
            x = Packing(height: g.height, width: g.width, margin: p, row: g.width + 2 * p, rows: g.height + 2 * p, slack: slack)
            if g.stride == 1 {
                dy = Packing(height: g.outHeight, width: g.outWidth, margin: p, row: x.row, rows: x.rows, slack: slack)
                dx = Packing(height: g.height, width: g.width, margin: 0, row: x.row, rows: g.height, slack: 0)
            } else {
                dy = Packing(height: g.outHeight, width: g.outWidth, margin: 0, row: g.outWidth, rows: g.outHeight, slack: 0)
                dx = x
            }
        }
    }

    /// Copies `planes` consecutive planes into `p`'s packed layout: zero margins, zero lanes past
    /// `planes`, 8 pixels at a time through an 8 × 8 transpose.
    static func pack(_ source: UnsafePointer<Float>, planes m: Int, _ p: Packing, into out: UnsafeMutablePointer<Float>) {
        let (h, w, margin, row) = (p.height, p.width, p.margin, p.row)
        let plane = h * w
        // The margins: before the first pixel, between rows, and after the last.
        out.update(repeating: 0, count: (margin * row + margin) * lanes)
        for iy in 0..<(h - 1) { (out + ((iy + margin) * row + margin + w) * lanes).update(repeating: 0, count: 2 * margin * lanes) }
        let end = (h - 1 + margin) * row + margin + w
        (out + end * lanes).update(repeating: 0, count: p.floats - end * lanes)
        var (iy, ix) = (0, 0)
        @inline(__always) func put(_ v: Lanes) {
            out.storeLanes(v, ((iy + margin) * row + ix + margin) * lanes)
            ix += 1
            if ix == w { (ix, iy) = (0, iy + 1) }
        }
        @inline(__always) func load(_ c: Int, _ i: Int) -> Lanes { c < m ? source.lanes(c * plane + i) : .zero }
        var i = 0
        while i + lanes <= plane {
            var r = (load(0, i), load(1, i), load(2, i), load(3, i), load(4, i), load(5, i), load(6, i), load(7, i))
            transpose8(&r)
            put(r.0); put(r.1); put(r.2); put(r.3); put(r.4); put(r.5); put(r.6); put(r.7)
            i += lanes
        }
        while i < plane {
            var v = Lanes.zero
            for c in 0..<m { v[c] = source[c * plane + i] }
            put(v)
            i += 1
        }
    }

    /// Writes (or adds) the pixels of a packed buffer back into `planes` consecutive planes.
    static func unpack(_ packed: UnsafePointer<Float>, _ p: Packing, planes m: Int, into target: UnsafeMutablePointer<Float>,
                       accumulate: Bool) {
        let (w, margin, row) = (p.width, p.margin, p.row)
        let plane = p.height * w
        var (iy, ix) = (0, 0)
        @inline(__always) func next() -> Lanes {
            let v = packed.lanes(((iy + margin) * row + ix + margin) * lanes)
            ix += 1
            if ix == w { (ix, iy) = (0, iy + 1) }
            return v
        }
        @inline(__always) func put(_ v: Lanes, _ c: Int, _ i: Int) {
            guard c < m else { return }
            let o = target + c * plane + i
            o.storeLanes(accumulate ? o.lanes(0) + v : v, 0)
        }
        var i = 0
        while i + lanes <= plane {
            var r = (next(), next(), next(), next(), next(), next(), next(), next())
            transpose8(&r)
            put(r.0, 0, i); put(r.1, 1, i); put(r.2, 2, i); put(r.3, 3, i); put(r.4, 4, i); put(r.5, 5, i); put(r.6, 6, i); put(r.7, 7, i)
            i += lanes
        }
        while i < plane {
            let v = next()
            for c in 0..<m {
                let o = target + c * plane + i
                o.pointee = accumulate ? o.pointee + v[c] : v[c]
            }
            i += 1
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

    /// dw[t] += Σ over outputs of dy · x at tap t. The outputs are taken a run at a time (a chunk
    /// of the flat buffer at stride 1, a row at stride 2) and every tap is summed over that run
    /// while it is in L1, rather than each tap streaming the whole plane from L2.
    static func weightGradient(_ dy: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ g: ConvGeometry, _ l: Layout,
                               into dw: UnsafeMutablePointer<Float>) {
        let (kh, kw) = (g.kernelH, g.kernelW)
        func addRun(_ d: UnsafePointer<Float>, _ v: UnsafePointer<Float>, count: Int, step: Int) {
            for ki in 0..<kh {
                for kj in 0..<kw {
                    let t = (ki * kw + kj) * lanes
                    dw.storeLanes(dw.lanes(t) + dotRun(d, v + (ki * l.x.row + kj) * lanes, count: count, step: step), t)
                }
            }
        }
        if g.stride == 1 {
            // Output j = oy · row + ox reads x at j + ki · row + kj; columns past the width meet
            // dy's zero margin.
            let d = dy + (l.dy.margin * l.dy.row + l.dy.margin) * lanes
            let total = l.dx.rows * l.dx.row, chunk = 128
            var start = 0
            while start < total {
                addRun(d + start * lanes, x + start * lanes, count: min(chunk, total - start), step: lanes)
                start += chunk
            }
        } else {
            for oy in 0..<g.outHeight {
                addRun(dy + oy * l.dy.row * lanes, x + oy * 2 * l.x.row * lanes, count: g.outWidth, step: 2 * lanes)
            }
        }
    }

    /// Σ_j d[j] · v[j · step / 8] over `count` vectors of d, in four independent accumulators.
    @inline(__always)
    static func dotRun(_ d: UnsafePointer<Float>, _ v: UnsafePointer<Float>, count: Int, step: Int) -> Lanes {
        var (a0, a1, a2, a3) = (Lanes.zero, Lanes.zero, Lanes.zero, Lanes.zero)
        var j = 0
        while j + 4 <= count {
            a0 = a0.addingProduct(d.lanes(j * 8), v.lanes(j * step))
            a1 = a1.addingProduct(d.lanes(j * 8 + 8), v.lanes(j * step + step))
            a2 = a2.addingProduct(d.lanes(j * 8 + 16), v.lanes(j * step + 2 * step))
            a3 = a3.addingProduct(d.lanes(j * 8 + 24), v.lanes(j * step + 3 * step))
            j += 4
        }
        while j < count {
            a0 = a0.addingProduct(d.lanes(j * 8), v.lanes(j * step))
            j += 1
        }
        return (a0 + a1) + (a2 + a3)
    }

    /// dx for one image's 8 channels into `l.dx`'s packing.
    static func inputGradient(_ dy: UnsafePointer<Float>, _ kernel: UnsafePointer<Float>, _ g: ConvGeometry, _ l: Layout,
                              into dx: UnsafeMutablePointer<Float>) {
        if g.stride == 1 {
            correlateFlipped(dy, kernel, g, l, into: dx)
        } else {
            scatter(dy, kernel, g, l, into: dx)
        }
    }

    /// Stride 1: dx[j] = Σ w[kh−1−ki, kw−1−kj] · dy_padded[j + ki · row + kj] over the flat
    /// run j = iy · row + ix, four pixels at a time (columns past the width are not unpacked).
    static func correlateFlipped(_ dy: UnsafePointer<Float>, _ kernel: UnsafePointer<Float>, _ g: ConvGeometry,
                                 _ l: Layout, into dx: UnsafeMutablePointer<Float>) {
        let (kh, kw, row) = (g.kernelH, g.kernelW, l.dy.row)
        let count = l.dx.rows * l.dx.row
        @inline(__always) func flipped(_ ki: Int, _ kj: Int) -> Lanes { kernel.lanes(((kh - 1 - ki) * kw + (kw - 1 - kj)) * lanes) }
        var j = 0
        while j + 4 <= count {
            var (a0, a1, a2, a3) = (Lanes.zero, Lanes.zero, Lanes.zero, Lanes.zero)
            for ki in 0..<kh {
                let d = dy + (j + ki * row) * lanes
                for kj in 0..<kw {
                    let wv = flipped(ki, kj), e = d + kj * lanes
                    a0 = a0.addingProduct(wv, e.lanes(0))
                    a1 = a1.addingProduct(wv, e.lanes(8))
                    a2 = a2.addingProduct(wv, e.lanes(16))
                    a3 = a3.addingProduct(wv, e.lanes(24))
                }
            }
            let o = dx + j * lanes
            o.storeLanes(a0, 0); o.storeLanes(a1, 8); o.storeLanes(a2, 16); o.storeLanes(a3, 24)
            j += 4
        }
        while j < count {
            var a = Lanes.zero
            for ki in 0..<kh {
                let d = dy + (j + ki * row) * lanes
                for kj in 0..<kw { a = a.addingProduct(flipped(ki, kj), d.lanes(kj * lanes)) }
            }
            dx.storeLanes(a, j * lanes)
            j += 1
        }
    }

    /// Stride 2: dx_padded[oy·2 + ki, ox·2 + kj] += w[ki, kj] · dy[oy, ox].
    static func scatter(_ dy: UnsafePointer<Float>, _ kernel: UnsafePointer<Float>, _ g: ConvGeometry, _ l: Layout,
                        into dx: UnsafeMutablePointer<Float>) {
        dx.update(repeating: 0, count: l.dx.floats)
        let (kh, kw, step) = (g.kernelH, g.kernelW, 2 * lanes)
        for oy in 0..<g.outHeight {
            let d = dy + oy * l.dy.row * lanes
            for ki in 0..<kh {
                let row = dx + (oy * 2 + ki) * l.dx.row * lanes
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
