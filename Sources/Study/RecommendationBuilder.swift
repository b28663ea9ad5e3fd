import Foundation
import Results

/// Chooses the cell to recommend from the finished runs of a study: the most accurate cells
/// within the tolerance compete on accuracy per unit of cost; the Pareto front of accuracy
/// against cost is marked; and the leaders are compared against seed noise.
public enum RecommendationBuilder {
    /// The finished runs of one cell group (`backbone__neck[__imgsz]`), by seed.
    public struct Group {
        public var name: String
        public var backbone: String, neck: String, imageSize: Int
        public var seedsTotal: Int
        public var summaries: [RunSummary]

        public init(name: String, backbone: String, neck: String, imageSize: Int, seedsTotal: Int, summaries: [RunSummary]) {
            (self.name, self.backbone, self.neck, self.imageSize, self.seedsTotal, self.summaries) =
                (name, backbone, neck, imageSize, seedsTotal, summaries)
        }
    }

    public static func build(_ groups: [Group], metric: StudyFile.Metric, cost: StudyFile.Cost, tolerance: Double) -> Recommendation {
        let complete = groups.filter { $0.summaries.count == $0.seedsTotal && $0.seedsTotal > 0 }
        let missing = groups.filter { $0.summaries.count < $0.seedsTotal }.map { g in
            g.seedsTotal > 1 ? "\(g.name) (\(g.summaries.count)/\(g.seedsTotal) seeds)" : g.name
        }
        var cells = complete.map { cell($0, metric: metric, cost: cost) }
        cells.sort { accuracy($0, metric) > accuracy($1, metric) || (accuracy($0, metric) == accuracy($1, metric) && $0.name < $1.name) }
        for i in cells.indices { cells[i].rank = i + 1 }
        let best = cells.first.map { accuracy($0, metric) } ?? 0
        for i in cells.indices {
            let a = accuracy(cells[i], metric), c = costValue(cells[i], cost)
            cells[i].withinTolerance = a >= best - tolerance
            cells[i].onParetoFront = !cells.contains { o in
                let oa = accuracy(o, metric), oc = costValue(o, cost)
                return oa >= a && oc <= c && (oa > a || oc < c)
            }
        }
        let name = metricName(metric), unit = costUnit(cost)
        guard missing.isEmpty, let leader = cells.first else {
            let rule = cells.isEmpty && missing.isEmpty
                ? "No cell is finished yet."
                : "No recommendation yet: \(missing.count) of \(groups.count) cells are not finished (\(missing.joined(separator: ", "))). Run the study again to finish them."
            return Recommendation(metric: metric.rawValue, cost: cost.rawValue, tolerance: tolerance, cells: cells, missing: missing,
                                  recommended: nil, rule: rule, noise: "")
        }
        let candidates = cells.filter(\.withinTolerance)
        let chosen = candidates.max { a, b in a.accuracyPerCost < b.accuracyPerCost || (a.accuracyPerCost == b.accuracyPerCost && a.name > b.name) }!
        let rule = String(
            format: "Among the cells whose %@ is within %.3g of the best (%.4f, %@), studyctl recommends the one with the highest %@ per %@: %@ (%.4f at %@, %.4g per %@). %d cell%@ competed.",
            name, tolerance, accuracy(leader, metric), leader.name, name, unit, chosen.name, accuracy(chosen, metric),
            costText(chosen, cost), chosen.accuracyPerCost, unit, candidates.count, candidates.count == 1 ? "" : "s")
        let runnerUp = cells.first { !$0.withinTolerance }
        let comparisons = seedComparisons(chosen, leader, candidates + (runnerUp.map { [$0] } ?? []), metric)
        return Recommendation(metric: metric.rawValue, cost: cost.rawValue, tolerance: tolerance, cells: cells, missing: [],
                              recommended: chosen.name, rule: rule, noise: Recommendation.noiseText(chosen: chosen.name, comparisons: comparisons),
                              comparisons: comparisons)
    }

    /// The chosen cell against the leader, every other cell within the tolerance and the most
    /// accurate cell outside it (so a clear winner is still set against the runner-up), by
    /// Welch's t-test of their seeds; nil with one seed per cell.
    static func seedComparisons(_ chosen: Recommendation.Cell, _ leader: Recommendation.Cell, _ candidates: [Recommendation.Cell],
                                _ metric: StudyFile.Metric) -> [Recommendation.SeedComparison]? {
        guard chosen.map50to95.values.count >= 2 else { return nil }
        var seen: Set<String> = []
        return ([leader] + candidates).filter { $0.name != chosen.name && seen.insert($0.name).inserted }.compactMap { other in
            SeedStatistics.welchP(values(chosen, metric), values(other, metric)).map { .init(cell: other.name, p: $0) }
        }
    }

    static func cell(_ g: Group, metric: StudyFile.Metric, cost: StudyFile.Cost) -> Recommendation.Cell {
        let best = g.summaries.map(\.best)
        let f1 = best.map { $0.precision + $0.recall > 0 ? 2 * $0.precision * $0.recall / ($0.precision + $0.recall) : 0 }
        let first = g.summaries[0]
        var c = Recommendation.Cell(
            name: g.name, backbone: g.backbone, neck: g.neck, imageSize: g.imageSize, seedsDone: g.summaries.count,
            seedsTotal: g.seedsTotal, parameters: first.parameters, gflops: first.gflops,
            latencyMs: cost == .latency ? g.summaries.map(\.latencyMs).reduce(0, +) / Double(g.summaries.count) : nil,
            map50: SeedStatistics.summarise(best.map(\.map50)), map50to95: SeedStatistics.summarise(best.map(\.map50to95)),
            precision: SeedStatistics.summarise(best.map(\.precision)), recall: SeedStatistics.summarise(best.map(\.recall)),
            f1: SeedStatistics.summarise(f1), accuracyPerCost: 0, rank: 0, onParetoFront: false, withinTolerance: false)
        c.accuracyPerCost = accuracy(c, metric) / max(costValue(c, cost), 1e-12)
        return c
    }

    static func values(_ c: Recommendation.Cell, _ metric: StudyFile.Metric) -> [Double] {
        switch metric {
        case .map50_95: c.map50to95.values
        case .map50: c.map50.values
        case .f1: c.f1.values
        }
    }

    public static func accuracy(_ c: Recommendation.Cell, _ metric: StudyFile.Metric) -> Double {
        switch metric {
        case .map50_95: c.map50to95.mean
        case .map50: c.map50.mean
        case .f1: c.f1.mean
        }
    }

    /// Cost in the unit the rule divides by: million parameters, GFLOPs, or milliseconds.
    public static func costValue(_ c: Recommendation.Cell, _ cost: StudyFile.Cost) -> Double {
        switch cost {
        case .params: Double(c.parameters) / 1e6
        case .gflops: c.gflops
        case .latency: c.latencyMs ?? .infinity
        }
    }

    static func costText(_ c: Recommendation.Cell, _ cost: StudyFile.Cost) -> String {
        switch cost {
        case .params: String(format: "%.2f M parameters", Double(c.parameters) / 1e6)
        case .gflops: String(format: "%.3f GFLOPs", c.gflops)
        case .latency: String(format: "%.1f ms", c.latencyMs ?? .nan)
        }
    }

    static func metricName(_ m: StudyFile.Metric) -> String {
        switch m {
        case .map50_95: "mAP@0.5:0.95"
        case .map50: "mAP@0.5"
        case .f1: "F1"
        }
    }

    static func costUnit(_ c: StudyFile.Cost) -> String {
        switch c {
        case .params: "million parameters"
        case .gflops: "GFLOP"
        case .latency: "ms of batch-1 latency"
        }
    }
}
