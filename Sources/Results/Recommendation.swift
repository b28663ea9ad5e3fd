import Foundation

/// A metric over a cell's seeds: mean, standard deviation and the 95 % t-interval.
public struct SeedStatistic: Sendable, Equatable, Codable {
    public var mean: Double
    /// Sample standard deviation (n − 1); 0 with one seed.
    public var std: Double
    /// Half-width of the 95 % Student-t interval of the mean; nil with one seed.
    public var ci95: Double?
    public var values: [Double]

    public init(mean: Double, std: Double, ci95: Double?, values: [Double]) {
        (self.mean, self.std, self.ci95, self.values) = (mean, std, ci95, values)
    }
}

/// recommendation.json: which backbone × neck to use, why, and how sure we are.
public struct Recommendation: Sendable, Equatable, Codable {
    /// One backbone × neck (× image size) over its seeds.
    public struct Cell: Sendable, Equatable, Codable {
        /// `<backbone>__<neck>` (with `__<imgsz>` when the study has an image-size axis).
        public var name: String
        public var backbone: String
        public var neck: String
        public var imageSize: Int
        /// Seeds finished out of those declared.
        public var seedsDone: Int
        public var seedsTotal: Int
        public var parameters: Int
        public var gflops: Double
        /// Fused batch-1 latency, averaged over the seeds — only when the study ranks by latency.
        ///
        /// Latency is a measurement of the machine at that moment, not a result of the study: left
        /// out, recommendation.json is the same bytes on every run (each run's summary.json keeps it).
        public var latencyMs: Double?
        /// Best-epoch metrics over the seeds.
        public var map50: SeedStatistic
        public var map50to95: SeedStatistic
        public var precision: SeedStatistic
        public var recall: SeedStatistic
        public var f1: SeedStatistic
        /// The chosen metric's mean over the seeds: what the cells are ranked by.
        public var accuracy: Double
        /// The chosen cost in its unit (million parameters, GFLOPs or ms).
        public var cost: Double
        /// The chosen accuracy per unit of the chosen cost.
        public var accuracyPerCost: Double
        /// 1 for the most accurate.
        public var rank: Int
        /// On the Pareto front of the chosen accuracy against the chosen cost.
        public var onParetoFront: Bool
        /// The costs against which the cell is on the Pareto front of the chosen accuracy: params and
        /// gflops always, latency when the study ranks by it.
        public var paretoFronts: [Cost]
        public var withinTolerance: Bool

        public init(name: String, backbone: String, neck: String, imageSize: Int, seedsDone: Int, seedsTotal: Int,
                    parameters: Int, gflops: Double, latencyMs: Double?, map50: SeedStatistic, map50to95: SeedStatistic,
                    precision: SeedStatistic, recall: SeedStatistic, f1: SeedStatistic, accuracy: Double, cost: Double,
                    accuracyPerCost: Double, rank: Int, onParetoFront: Bool, paretoFronts: [Cost], withinTolerance: Bool) {
            (self.name, self.backbone, self.neck, self.imageSize) = (name, backbone, neck, imageSize)
            (self.seedsDone, self.seedsTotal, self.parameters, self.gflops, self.latencyMs) =
                (seedsDone, seedsTotal, parameters, gflops, latencyMs)
            (self.map50, self.map50to95, self.precision, self.recall, self.f1) = (map50, map50to95, precision, recall, f1)
            (self.accuracy, self.cost, self.accuracyPerCost, self.rank) = (accuracy, cost, accuracyPerCost, rank)
            (self.onParetoFront, self.paretoFronts, self.withinTolerance) = (onParetoFront, paretoFronts, withinTolerance)
        }
    }

    public var metric: Metric
    public var cost: Cost
    public var tolerance: Double
    /// Every finished cell, most accurate first.
    public var cells: [Cell]
    /// Cells (names) not finished, with no figures.
    public var missing: [String]
    /// The recommended cell's name; nil while cells it needs are missing.
    public var recommended: String?
    /// The rule that chose it, in words.
    public var rule: String
    /// Which leaders are within seed noise of each other, in words (Welch's t-test at 5 %, or
    /// "one seed: noise unknown").
    public var noise: String
    /// The same statement as figures, so a report can word it in its own language: the recommended
    /// cell against each other leader. Nil with one seed per cell, and in files written before it existed.
    public var comparisons: [SeedComparison]?

    /// The recommended cell's seeds against another cell's, by Welch's t-test.
    public struct SeedComparison: Sendable, Equatable, Codable {
        /// The other cell's name.
        public var cell: String
        /// Two-sided p-value; at or above 0.05 the two are within seed noise of each other.
        public var p: Double

        public init(cell: String, p: Double) { (self.cell, self.p) = (cell, p) }
    }

    public init(metric: Metric, cost: Cost, tolerance: Double, cells: [Cell], missing: [String], recommended: String?,
                rule: String, noise: String, comparisons: [SeedComparison]? = nil) {
        (self.metric, self.cost, self.tolerance, self.cells, self.missing) = (metric, cost, tolerance, cells, missing)
        (self.recommended, self.rule, self.noise, self.comparisons) = (recommended, rule, noise, comparisons)
    }
}

extension Recommendation {
    /// The seed-noise statement in English, from the comparisons (nil: one seed per cell): the
    /// console's, recommendation.json's `noise` and the English report's, one wording for all three.
    public static func noiseText(chosen: String, comparisons: [SeedComparison]?) -> String {
        guard let comparisons else { return "One seed per cell: seed noise unknown (set repeats ≥ 2 to measure it)." }
        guard !comparisons.isEmpty else { return "\(chosen) is the only cell within the tolerance." }
        return comparisons.map { c in
            c.p >= 0.05
                ? String(format: "%@ and %@ are within seed noise of each other (Welch's t-test p = %.2f ≥ 0.05).", chosen, c.cell, c.p)
                : String(format: "%@ and %@ differ beyond seed noise (Welch's t-test p = %.3f < 0.05).", chosen, c.cell, c.p)
        }.joined(separator: " ")
    }
}
