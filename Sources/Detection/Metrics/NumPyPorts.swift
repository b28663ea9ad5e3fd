import Engine

/// The few NumPy routines YOLOv5's metrics rest on, ported with NumPy's exact semantics so the
/// metrics agree with YOLOv5 to rounding.
enum NumPy {
    /// `np.linspace(start, stop, count)`: `start + i * step`, the last point exactly `stop`.
    // numpy _core/function_base.py linspace
    static func linspace(_ start: Double, _ stop: Double, _ count: Int) -> [Double] {
        require(count >= 2, "linspace needs at least two points")
        let step = (stop - start) / Double(count - 1)
        var y = (0..<count).map { Double($0) * step + start }
        y[count - 1] = stop
        return y
    }

    /// `np.interp(x, xp, fp, left, right)` for one `x`, with `xp` non-decreasing (ties allowed).
    /// Like NumPy, it uses the last `xp[j] <= x` and interpolates towards `xp[j + 1]`.
    // numpy _core/src/multiarray/compiled_base.c arr_interp
    static func interp(
        _ x: Double, _ xp: UnsafeBufferPointer<Double>, _ fp: UnsafeBufferPointer<Double>,
        left: Double, right: Double
    ) -> Double {
        let count = xp.count
        require(count > 0 && fp.count == count, "interp needs matching, non-empty xp and fp")
        if x.isNaN { return x }
        if x < xp[0] { return left }
        if x > xp[count - 1] { return right }
        // Last j with xp[j] <= x.
        var lo = 0
        var hi = count
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if x >= xp[mid] { lo = mid + 1 } else { hi = mid }
        }
        let j = lo - 1
        if j == count - 1 || xp[j] == x { return fp[j] }
        let slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j])
        var y = slope * (x - xp[j]) + fp[j]
        if y.isNaN {
            y = slope * (x - xp[j + 1]) + fp[j + 1]
            if y.isNaN && fp[j] == fp[j + 1] { y = fp[j] }
        }
        return y
    }

    /// `np.interp(x, xp, fp)` at every point of `x`, with NumPy's defaults for `left` and `right`
    /// (the first and last `fp`).
    static func interp(_ x: [Double], _ xp: [Double], _ fp: [Double]) -> [Double] {
        xp.withUnsafeBufferPointer { xpb in
            fp.withUnsafeBufferPointer { fpb in
                x.map { interp($0, xpb, fpb, left: fpb[0], right: fpb[fpb.count - 1]) }
            }
        }
    }

    /// `np.trapz(y, x)`: the trapezoidal rule.
    // numpy lib/_function_base_impl.py trapezoid
    static func trapz(_ y: [Double], _ x: [Double]) -> Double {
        require(x.count == y.count, "trapz needs as many x as y")
        var sum = 0.0
        for i in 0..<max(x.count - 1, 0) {
            sum += (x[i + 1] - x[i]) * (y[i + 1] + y[i]) / 2.0
        }
        return sum
    }
}
