/// Vectorised depthwise forward for dilation 1 and stride 1 or 2, on one plane (batch-1 inference).
///
/// Each plane is first copied into a zero-padded buffer split by column phase (column c goes to
/// phase c mod stride, index c / stride). Then every kernel tap (ki, kj) reads output row oy from
/// one contiguous run: padded row oy·stride + ki, phase kj mod stride, offset kj / stride — so
/// the inner loops are plain 16-lane loads and multiply-adds with no bounds checks.
/// `DepthwiseKernel` is the scalar twin, kept for other dilations and strides.
struct PaddedPlane {
    let rows: Int, rowStride: Int, phases: Int
    let base: UnsafeMutablePointer<Float>
    /// Floats between phase 0 and phase 1 of the same row.
    let phaseStride: Int

    /// The layout for a plane of `g`'s geometry; `floats` is the scratch size it needs.
    init(_ g: ConvGeometry, base: UnsafeMutablePointer<Float>) {
        (rows, rowStride) = Self.shape(g)
        phases = g.stride
        phaseStride = rows * rowStride
        self.base = base
    }

    /// Padded rows, and floats per phase row: room for every padded column, and for whole
    /// vectors of output columns read at the farthest tap.
    static func shape(_ g: ConvGeometry) -> (rows: Int, rowStride: Int) {
        let vectorSpan = (g.outWidth + 15) / 16 * 16 + (g.kernelW - 1) / g.stride + 1
        return (g.height + 2 * g.padding, max(vectorSpan, (g.width + 2 * g.padding + g.stride - 1) / g.stride))
    }

    static func floats(_ g: ConvGeometry) -> Int {
        let (rows, rowStride) = shape(g)
        return g.stride * rows * rowStride
    }

    /// Output column 0 of tap column `kj` on padded row `r` (phase kj mod stride, offset kj / stride;
    /// bit operations, as the stride is 1 or 2, and no array in the inner loops).
    @inline(__always)
    func tap(_ r: Int, _ kj: Int) -> UnsafeMutablePointer<Float> {
        base + r * rowStride + (phases == 1 ? kj : (kj & 1) * phaseStride + (kj >> 1))
    }

    /// Zeroes the buffer and copies plane x [H, W] into it with `padding` zeros around.
    func fill(from x: UnsafePointer<Float>, height: Int, width: Int, padding: Int) {
        if phases == 1 {
            // Zero the padding rows and each row's margins, copy the interior: short runs, so
            // inline vector moves rather than memset/memcpy calls.
            zeroFloats(base, padding * rowStride)
            zeroFloats(base + (padding + height) * rowStride, (rows - padding - height) * rowStride)
            for iy in 0..<height {
                let row = base + (iy + padding) * rowStride
                for i in 0..<padding { row[i] = 0 }
                copyFloats(row + padding, x + iy * width, width)
                zeroFloats(row + padding + width, rowStride - padding - width)
            }
            return
        }
        // Stride 2: column c = ix + padding goes to phase c & 1 at index c >> 1, so input columns
        // of one parity land in one phase row, 16 at a time.
        zeroFloats(base, phases * rows * rowStride)
        let firstStart = padding >> 1, secondStart = (padding + 1) >> 1
        for iy in 0..<height {
            let src = x + iy * width
            let even = base + (iy + padding) * rowStride, odd = even + rows * rowStride
            let (first, second) = padding & 1 == 0 ? (even, odd) : (odd, even)
            var ix = 0
            while ix + 32 <= width {
                let pair = UnsafeRawPointer(src + ix).loadUnaligned(as: SIMD32<Float>.self)
                (first + firstStart + ix / 2).store(pair.evenHalf, 0)
                (second + secondStart + ix / 2).store(pair.oddHalf, 0)
                ix += 32
            }
            while ix < width {
                let c = ix + padding
                (c & 1 == 0 ? even : odd)[c >> 1] = src[ix]
                ix += 1
            }
        }
    }

    /// Adds the padded interior back onto plane dx [H, W] (or writes it when `accumulate` is false).
    func drain(into dx: UnsafeMutablePointer<Float>, height: Int, width: Int, padding: Int, accumulate: Bool) {
        for iy in 0..<height {
            let dst = dx + iy * width
            if phases == 1 {
                let src = UnsafePointer(base + (iy + padding) * rowStride + padding)
                var ix = 0
                while ix + 16 <= width {
                    dst.store(accumulate ? dst.vec(ix) + src.vec(ix) : src.vec(ix), ix)
                    ix += 16
                }
                for j in ix..<width { dst[j] = accumulate ? dst[j] + src[j] : src[j] }
            } else {
                let even = base + (iy + padding) * rowStride, odd = even + rows * rowStride
                let (first, second) = padding & 1 == 0 ? (even, odd) : (odd, even)
                let firstStart = padding >> 1, secondStart = (padding + 1) >> 1
                var ix = 0
                while ix + 32 <= width {
                    var pair = SIMD32<Float>()
                    pair.evenHalf = (first + firstStart + ix / 2).vec(0)
                    pair.oddHalf = (second + secondStart + ix / 2).vec(0)
                    let out = UnsafeMutableRawPointer(dst + ix)
                    out.storeBytes(of: accumulate ? out.loadUnaligned(as: SIMD32<Float>.self) + pair : pair, as: SIMD32<Float>.self)
                    ix += 32
                }
                while ix < width {
                    let c = ix + padding
                    let v = (c & 1 == 0 ? even : odd)[c >> 1]
                    dst[ix] = accumulate ? dst[ix] + v : v
                    ix += 1
                }
            }
        }
    }
}

enum DepthwiseSIMD {
    /// Whether this kernel handles the geometry (otherwise `DepthwiseKernel` does).
    static func supports(_ g: ConvGeometry) -> Bool {
        g.dilation == 1 && (g.stride == 1 || g.stride == 2) && g.kernelH <= 7 && g.kernelW <= 7
    }


    /// y[H', W'] = bias + Σ_ki,kj w[ki, kj] · x[y·s − p + ki, x·s − p + kj] for one plane.
    static func forward(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, bias: Float, _ g: ConvGeometry,
                        _ y: UnsafeMutablePointer<Float>, plane: PaddedPlane) {
        plane.fill(from: x, height: g.height, width: g.width, padding: g.padding)
        let (oh, ow, kh, kw) = (g.outHeight, g.outWidth, g.kernelH, g.kernelW)
        for oy in 0..<oh {
            let out = y + oy * ow
            var start = 0
            while start < ow {
                var acc = Vec(repeating: bias)
                for ki in 0..<kh {
                    let r = oy * g.stride + ki
                    for kj in 0..<kw { acc = acc.addingProduct(plane.tap(r, kj).vec(start), Vec(repeating: w[ki * kw + kj])) }
                }
                if start + 16 <= ow {
                    out.store(acc, start)
                } else {
                    for i in 0..<(ow - start) { out[start + i] = acc[i] }
                }
                start += 16
            }
        }
    }
}
