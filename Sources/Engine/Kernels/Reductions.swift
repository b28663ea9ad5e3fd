/// Vectorised sums over contiguous runs, with a fixed summation order.
enum Reduce {
    /// Σ p[0..<count] with 4 vector accumulators, then lanes in order.
    @inline(__always)
    static func sum(_ p: UnsafePointer<Float>, _ count: Int) -> Float {
        var a0 = Vec(), a1 = Vec(), a2 = Vec(), a3 = Vec()
        var i = 0
        while i + 64 <= count {
            a0 += p.vec(i); a1 += p.vec(i + 16); a2 += p.vec(i + 32); a3 += p.vec(i + 48)
            i += 64
        }
        while i + 16 <= count { a0 += p.vec(i); i += 16 }
        var s = ((a0 + a1) + (a2 + a3)).sum()
        while i < count { s += p[i]; i += 1 }
        return s
    }

    /// Σ (p[i] − mean)².
    @inline(__always)
    static func squaredDeviation(_ p: UnsafePointer<Float>, _ count: Int, mean: Float) -> Float {
        var a0 = Vec(), a1 = Vec()
        let m = Vec(repeating: mean)
        var i = 0
        while i + 32 <= count {
            let d0 = p.vec(i) - m, d1 = p.vec(i + 16) - m
            a0 += d0 * d0; a1 += d1 * d1
            i += 32
        }
        while i + 16 <= count { let d = p.vec(i) - m; a0 += d * d; i += 16 }
        var s = (a0 + a1).sum()
        while i < count { let d = p[i] - mean; s += d * d; i += 1 }
        return s
    }

    /// Σ a[i] · b[i].
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
        var a0 = Vec(), a1 = Vec()
        var i = 0
        while i + 32 <= count {
            a0 += a.vec(i) * b.vec(i); a1 += a.vec(i + 16) * b.vec(i + 16)
            i += 32
        }
        while i + 16 <= count { a0 += a.vec(i) * b.vec(i); i += 16 }
        var s = (a0 + a1).sum()
        while i < count { s += a[i] * b[i]; i += 1 }
        return s
    }
}
