import Foundation

/// A per-x mean over seeds with its 95 % Student-t interval: the line and band of a chart.
public struct SeedBand: Sendable, Equatable {
    public var x: [Double]
    public var mean: [Double]
    /// Mean ∓ the interval's half-width; NaN where fewer than two seeds have a value.
    public var lower: [Double], upper: [Double]

    /// Combines series of (x, y) pairs (one per seed), matching points by x.
    public init(_ series: [[(x: Double, y: Double)]]) {
        var byX: [Double: [Double]] = [:]
        for s in series { for p in s where p.y.isFinite { byX[p.x, default: []].append(p.y) } }
        x = byX.keys.sorted()
        var (m, lo, hi) = ([Double](), [Double](), [Double]())
        for key in x {
            let v = byX[key]!
            let mu = v.reduce(0, +) / Double(v.count)
            m.append(mu)
            if let half = Self.halfWidth(v) {
                lo.append(mu - half)
                hi.append(mu + half)
            } else {
                lo.append(.nan)
                hi.append(.nan)
            }
        }
        (mean, lower, upper) = (m, lo, hi)
    }

    /// The band cut to `range` (the mean is left as it is): a metric's interval stays within 0...1,
    /// a loss's above 0.
    public func clipped(to range: ClosedRange<Double>) -> SeedBand {
        var out = self
        out.lower = lower.map { $0.isFinite ? min(max($0, range.lowerBound), range.upperBound) : $0 }
        out.upper = upper.map { $0.isFinite ? min(max($0, range.lowerBound), range.upperBound) : $0 }
        return out
    }

    /// The half-width of the 95 % t-interval of the mean of `values`; nil with fewer than two.
    public static func halfWidth(_ values: [Double]) -> Double? {
        guard values.count >= 2 else { return nil }
        let n = Double(values.count)
        let mu = values.reduce(0, +) / n
        let variance = values.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / (n - 1)
        return tQuantile975(degreesOfFreedom: values.count - 1) * (variance / n).squareRoot()
    }

    /// The 0.975 quantile of Student's t (two-sided 95 %), tabulated to 30 degrees of freedom.
    public static func tQuantile975(degreesOfFreedom df: Int) -> Double {
        let table = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
                     2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]
        precondition(df >= 1, "a t-interval needs at least one degree of freedom")
        return df <= table.count ? table[df - 1] : 1.96
    }
}
