import Charts
import Results

/// The per-epoch series the charts draw, and their mean and seed band over runs.
enum PerEpoch {
    struct Metric {
        var title: String
        var axis: Axis
        var value: (EpochResult) -> Double
        /// The values it can take: a band is cut there (two seeds give t = 12.7, far past both ends).
        var range: ClosedRange<Double> = 0...1
    }

    /// Validation loss, mAP@0.5, mAP@0.5:0.95, precision and recall per epoch.
    static func metrics(_ s: Strings) -> [Metric] {
        [Metric(title: s.valLoss, axis: Axis(s.loss), value: { $0.valBox + $0.valObj + $0.valCls }, range: 0...Double.infinity),
         Metric(title: s.map50, axis: Axis(s.map50, include: [0]), value: \.map50),
         Metric(title: s.map5095, axis: Axis(s.map5095, include: [0]), value: \.map50to95),
         Metric(title: s.precision, axis: Axis(s.precision, include: [0]), value: \.precision),
         Metric(title: s.recall, axis: Axis(s.recall, include: [0]), value: \.recall)]
    }

    static func trainLoss(_ r: EpochResult) -> Double { r.trainBox + r.trainObj + r.trainCls }

    /// `value` per epoch, mean and 95 % interval over `runs`.
    static func band(_ runs: [RunRecord], _ value: (EpochResult) -> Double, range: ClosedRange<Double>) -> SeedBand {
        SeedBand(runs.map { run in run.rows.map { (x: Double($0.epoch), y: value($0)) } }).clipped(to: range)
    }

    /// The all-class F1 against confidence over the runs that have curves (every 4th point).
    static func f1Band(_ runs: [RunRecord]) -> SeedBand? {
        let curves = runs.compactMap(\.curves)
        guard !curves.isEmpty else { return nil }
        return SeedBand(curves.map { c in stride(from: 0, to: min(c.confidence.count, c.f1All.count), by: 4).map {
            (x: c.confidence[$0], y: c.f1All[$0])
        } }).clipped(to: 0...1)
    }

    /// A line and (with two seeds or more) a band.
    static func marks(_ band: SeedBand, label: String?, style: SeriesStyle) -> [Mark] {
        var out: [Mark] = []
        if band.lower.contains(where: \.isFinite) {
            out.append(.band(label: nil, x: band.x, lower: band.lower, upper: band.upper, color: style.color))
        }
        out.append(.line(label: label, points: zip(band.x, band.mean).map { Point($0, $1) }, style: style))
        return out
    }
}
