/// Max pooling at stride 1 or 2 of one plane as two passes, 16 output columns at a time: the
/// maximum of each row window, then the maximum over the rows of each column window (SPPF's 5 × 5:
/// 10 comparisons per output instead of 25). At stride 2 the row pass takes the windows at every
/// column, two vectors at a time, and keeps the even ones (ShuffleNet's 3 × 3 stem pool).
///
/// It keeps PyTorch's choice of the maximum: the first in scan order (row by row), or the last NaN.
/// Per row the first maximum from the left (or the row's last NaN); then the first row from the top
/// holding the window's maximum (or the last row holding a NaN) — the same element.
struct MaxPoolRows {
    let g: ConvGeometry
    /// Per input row, the row maxima [H][row] then their columns [H][row] (as Int32 bits); then one
    /// input row with −∞ around it.
    let best: UnsafeMutablePointer<Float>, at: UnsafeMutablePointer<Float>, padded: UnsafeMutablePointer<Float>
    let row: Int

    /// Floats per row of the scratch: whole vectors of output columns.
    static func rowFloats(_ g: ConvGeometry) -> Int { (g.outWidth + 15) / 16 * 16 }

    /// Whether these passes handle the geometry (otherwise the scan in `maxPool2d` does).
    static func supports(_ g: ConvGeometry) -> Bool { g.stride <= 2 && g.kernelH == g.kernelW }

    /// Scratch floats for one plane of `g`: the two row tables, and a padded row that the widest
    /// read (window start 2 · (row − 16) + 31, plus the kernel) stays inside.
    static func scratch(_ g: ConvGeometry) -> Int { 2 * g.height * rowFloats(g) + 2 * rowFloats(g) + g.kernelW + 32 }

    init(_ g: ConvGeometry, scratch: UnsafeMutablePointer<Float>) {
        self.g = g
        row = Self.rowFloats(g)
        best = scratch
        at = scratch + g.height * row
        padded = scratch + 2 * g.height * row
    }

    typealias Index = SIMD16<Int32>

    /// The maxima of the 16 row windows starting at padded columns `start`…`start + 15` of the
    /// padded row, and their input columns (a window of −∞ keeps its first column inside the image).
    @inline(__always)
    func windows(from start: Int) -> (Vec, Index) {
        let lane = Index(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        let first = start - g.padding
        var b = Vec(repeating: -.infinity)
        var a = Index(repeating: Int32(first)) &+ lane
        a &= ~(a &>> 31)  // max(a, 0): a lanewise replace on Int32 lanes compiles to a scalar loop
        for kj in 0..<g.kernelW {
            // Columns outside the image read −∞, which never takes the place of anything.
            let v = UnsafePointer(padded).vec(start + kj)
            let take = (v .> b) .| (v .!= v)
            b.replace(with: v, where: take)
            a.replace(with: Index(repeating: Int32(first + kj)) &+ lane, where: take)
        }
        return (b, a)
    }

    /// y[H', W'] and, when asked, the flat input index of each output's maximum.
    func pool(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>?) {
        let (h, w, k, pad, stride) = (g.height, g.width, g.kernelW, g.padding, g.stride)
        padded.update(repeating: -.infinity, count: 2 * row + k + 32)
        for iy in 0..<h {
            (padded + pad).update(from: x + iy * w, count: w)
            var ox = 0
            while ox < g.outWidth {
                let (b, a): (Vec, Index)
                if stride == 1 {
                    (b, a) = windows(from: ox)
                } else {
                    let (b0, a0) = windows(from: 2 * ox), (b1, a1) = windows(from: 2 * ox + 16)
                    (b, a) = (SIMD32(lowHalf: b0, highHalf: b1).evenHalf, SIMD32(lowHalf: a0, highHalf: a1).evenHalf)
                }
                (best + iy * row).store(b, ox)
                UnsafeMutableRawPointer(at + iy * row + ox).storeBytes(of: a, as: Index.self)
                ox += 16
            }
        }
        for oy in 0..<g.outHeight {
            let y0 = max(oy * stride - pad, 0), y1 = min(oy * stride - pad + g.kernelH, h)
            var ox = 0
            while ox < g.outWidth {
                var b = Vec(repeating: -.infinity)
                var a = UnsafeRawPointer(at + y0 * row + ox).loadUnaligned(as: Index.self) &+ Index(repeating: Int32(y0 * w))
                for iy in y0..<y1 {
                    let v = UnsafePointer(best + iy * row).vec(ox)
                    let take = (v .> b) .| (v .!= v)
                    b.replace(with: v, where: take)
                    a.replace(with: UnsafeRawPointer(at + iy * row + ox).loadUnaligned(as: Index.self) &+ Index(repeating: Int32(iy * w)),
                              where: take)
                }
                let count = min(16, g.outWidth - ox), out = oy * g.outWidth + ox
                for i in 0..<count {
                    y[out + i] = b[i]
                    argmax?[out + i] = a[i]
                }
                ox += 16
            }
        }
    }
}
