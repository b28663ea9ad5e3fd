import Foundation

/// How data values map to positions along an axis.
public enum ScaleKind: Sendable, Equatable {
    case linear
    /// Base-10 logarithmic; only positive values are placed.
    case log
}

/// A continuous scale: a domain of data values onto a range of scene positions, with the
/// ticks that label it. Built by `Scale.nice`, which widens the domain to round tick values.
public struct Scale: Sendable, Equatable {
    public var kind: ScaleKind
    public var domain: ClosedRange<Double>
    /// Scene positions of `domain.lowerBound` and `domain.upperBound` (y ranges run downwards).
    public var range: (Double, Double)
    public var ticks: [Double]
    /// Digits after the decimal point of the tick labels.
    public var decimals: Int

    public static func == (a: Scale, b: Scale) -> Bool {
        a.kind == b.kind && a.domain == b.domain && a.range == b.range && a.ticks == b.ticks && a.decimals == b.decimals
    }

    /// The scene position of `value` (log scales clamp non-positive values to the domain's start).
    public func callAsFunction(_ value: Double) -> Double {
        let t: Double
        switch kind {
        case .linear: t = (value - domain.lowerBound) / (domain.upperBound - domain.lowerBound)
        case .log:
            let v = value > 0 ? value : domain.lowerBound
            t = (log10(v) - log10(domain.lowerBound)) / (log10(domain.upperBound) - log10(domain.lowerBound))
        }
        return range.0 + t * (range.1 - range.0)
    }

    /// The tick label for `value`.
    public func label(_ value: Double) -> String { TickFormat.label(value, decimals: decimals) }

    /// A scale covering `data` (plus `include`, e.g. 0) with about `count` round ticks.
    public static func nice(_ kind: ScaleKind, data: [Double], include: [Double] = [], count: Int,
                            range: (Double, Double), integer: Bool = false) -> Scale {
        switch kind {
        case .linear:
            let values = (data + include).filter(\.isFinite)
            var lo = values.min() ?? 0, hi = values.max() ?? 1
            if lo == hi { (lo, hi) = lo == 0 ? (0, 1) : (lo - abs(lo) * 0.1, hi + abs(hi) * 0.1) }
            if integer { hi = max(hi, lo + 1) }
            let (ticks, step) = NiceTicks.linear(lo, hi, count: count, minimumStep: integer ? 1 : 0)
            return Scale(kind: .linear, domain: ticks.first!...ticks.last!, range: range, ticks: ticks,
                         decimals: TickFormat.decimals(step: step))
        case .log:
            let values = (data + include).filter { $0.isFinite && $0 > 0 }
            var lo = values.min() ?? 1, hi = values.max() ?? 10
            if lo == hi { (lo, hi) = (lo / 2, hi * 2) }
            let ticks = NiceTicks.log(lo, hi)
            let decimals = ticks.map { TickFormat.decimals(step: $0) }.max() ?? 0
            return Scale(kind: .log, domain: ticks.first!...ticks.last!, range: range, ticks: ticks, decimals: decimals)
        }
    }
}

/// Round tick values ("nice numbers", Heckbert 1990, with 2.5 among the steps).
public enum NiceTicks {
    /// The smallest of 1, 2, 2.5, 5, 10 × 10ᵏ that is at least `raw`.
    public static func step(_ raw: Double) -> Double {
        precondition(raw > 0 && raw.isFinite, "a tick step is positive and finite")
        let power = pow(10, floor(log10(raw)))
        let fraction = raw / power
        let mantissa = [1, 2, 2.5, 5, 10].first { fraction <= $0 * (1 + 1e-9) } ?? 10
        return mantissa * power
    }

    /// Ticks at multiples of a nice step covering lo...hi with at most about `count` intervals;
    /// the first and last tick enclose the data.
    public static func linear(_ lo: Double, _ hi: Double, count: Int, minimumStep: Double = 0) -> (ticks: [Double], step: Double) {
        precondition(hi > lo, "a tick range has hi > lo")
        var s = step((hi - lo) / Double(max(1, count)))
        if s < minimumStep { s = minimumStep }
        if minimumStep >= 1, s == 2.5 { s = 2 }
        let first = Int((lo / s + 1e-9).rounded(.down)), last = Int((hi / s - 1e-9).rounded(.up))
        let ticks = (first...max(first + 1, last)).map { i -> Double in
            let v = Double(i) * s
            return abs(v) < s * 1e-9 ? 0 : v
        }
        return (ticks, s)
    }

    /// Log ticks: 1-2-5 in every decade when the data spans less than three decades, powers of ten
    /// otherwise; the first and last tick enclose lo...hi. A span too narrow for four such ticks
    /// gets linear nice ticks (still placed logarithmically).
    public static func log(_ lo: Double, _ hi: Double) -> [Double] {
        precondition(lo > 0 && hi > lo, "log ticks need 0 < lo < hi")
        let d0 = Int(floor(log10(lo) + 1e-9)), d1 = Int(ceil(log10(hi) - 1e-9))
        let mantissas: [Double] = d1 - d0 < 3 ? [1, 2, 5] : [1]
        var all: [Double] = []
        for d in d0...max(d0 + 1, d1) {
            for m in mantissas { all.append(m * pow(10, Double(d))) }
        }
        let below = all.last { $0 <= lo * (1 + 1e-9) } ?? all[0]
        let above = all.first { $0 >= hi * (1 - 1e-9) } ?? all[all.count - 1]
        let ticks = all.filter { $0 >= below && $0 <= above }
        if ticks.count >= 4 { return ticks }
        let linear = Self.linear(lo, hi, count: 4).ticks.filter { $0 > 0 }
        return linear.first! <= lo * (1 + 1e-9) ? linear : [lo] + linear
    }
}

/// Tick and value labels with as many decimals as the step needs.
public enum TickFormat {
    /// Digits after the point that tell ticks `step` apart (2.5 → 1, 0.25 → 2, 20 → 0).
    public static func decimals(step: Double) -> Int {
        var d = max(0, Int(-floor(log10(step) + 1e-9)))
        while d < 12, abs(step * pow(10, Double(d)) - (step * pow(10, Double(d))).rounded()) > 1e-6 { d += 1 }
        return d
    }

    public static func label(_ value: Double, decimals: Int) -> String {
        let text = String(format: "%.\(decimals)f", value)
        return text.hasPrefix("-") && Double(text) == 0 ? String(text.dropFirst()) : text
    }
}
