import Foundation
import Results

/// Statistics over a cell's seeds: mean, sample standard deviation, the 95 % Student-t interval,
/// and Welch's t-test between two cells.
public enum SeedStatistics {
    /// Mean, standard deviation (n − 1) and the half-width of the 95 % t-interval of `values`.
    public static func summarise(_ values: [Double]) -> SeedStatistic {
        let n = Double(values.count)
        let mean = values.reduce(0, +) / max(n, 1)
        guard values.count >= 2 else { return SeedStatistic(mean: mean, std: 0, ci95: nil, values: values) }
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)
        let std = variance.squareRoot()
        return SeedStatistic(mean: mean, std: std, ci95: tQuantile(0.975, df: n - 1) * std / n.squareRoot(), values: values)
    }

    /// Two-sided p-value of Welch's unequal-variance t-test that `a` and `b` have the same mean;
    /// nil when either has fewer than two values. Equal samples without spread give 1.
    // Welch (1947); degrees of freedom by the Welch–Satterthwaite equation
    public static func welchP(_ a: [Double], _ b: [Double]) -> Double? {
        guard a.count >= 2, b.count >= 2 else { return nil }
        let sa = summarise(a), sb = summarise(b)
        let va = sa.std * sa.std / Double(a.count), vb = sb.std * sb.std / Double(b.count)
        guard va + vb > 0 else { return sa.mean == sb.mean ? 1 : 0 }
        let t = (sa.mean - sb.mean) / (va + vb).squareRoot()
        let df = (va + vb) * (va + vb) / (va * va / Double(a.count - 1) + vb * vb / Double(b.count - 1))
        return 2 * (1 - tCDF(abs(t), df: df))
    }

    /// The Student-t distribution function: 1 − ½·I_{df/(df+t²)}(df/2, ½) for t ≥ 0.
    public static func tCDF(_ t: Double, df: Double) -> Double {
        let x = df / (df + t * t)
        let tail = 0.5 * regularizedBeta(x, df / 2, 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// The p-quantile of Student's t with `df` degrees of freedom, by bisection of `tCDF`.
    public static func tQuantile(_ p: Double, df: Double) -> Double {
        var lo = -1000.0, hi = 1000.0
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if tCDF(mid, df: df) < p { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    /// I_x(a, b) by Lentz's continued fraction (Numerical Recipes, 3rd ed., §6.4 betacf).
    static func regularizedBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logGammas: Double = Foundation.lgamma(a + b) - Foundation.lgamma(a) - Foundation.lgamma(b)
        let logPowers: Double = a * Foundation.log(x) + b * Foundation.log(1 - x)
        let front = Foundation.exp(logGammas + logPowers)
        if x > (a + 1) / (a + b + 2) { return 1 - regularizedBeta(1 - x, b, a) }
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...300 {
            let m = Double(m)
            var num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + num * d; if abs(d) < tiny { d = tiny }
            c = 1 + num / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            num = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + num * d; if abs(d) < tiny { d = tiny }
            c = 1 + num / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return front * h / a
    }
}
