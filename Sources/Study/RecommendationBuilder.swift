import Foundation
import Results

/// Chooses the cell to recommend from the finished runs of a study: the most accurate cells
/// within the tolerance compete on accuracy per unit of cost; the Pareto front of accuracy
/// against each cost is marked; and the leaders are compared against seed noise.
public enum RecommendationBuilder {
    /// The finished runs of one cell group (`backbone__neck[__imgsz]`), by seed.
    public struct Group {
        public var name: String
        public var backbone: String, neck: String, imageSize: Int
        public var seedsTotal: Int
        public var summaries: [RunSummary]
        /// The runs' measured latencies (only read when the study ranks by latency).
        public var latencies: [LatencyMeasurement]

        public init(name: String, backbone: String, neck: String, imageSize: Int, seedsTotal: Int, summaries: [RunSummary],
                    latencies: [LatencyMeasurement] = []) {
            (self.name, self.backbone, self.neck, self.imageSize, self.seedsTotal, self.summaries, self.latencies) =
                (name, backbone, neck, imageSize, seedsTotal, summaries, latencies)
        }
    }

    public static func build(_ groups: [Group], metric: Metric, cost: Cost, tolerance: Double) -> Recommendation {
        let complete = groups.filter { $0.summaries.count == $0.seedsTotal && $0.seedsTotal > 0 }
        let missing = groups.filter { $0.summaries.count < $0.seedsTotal }.map { g in
            g.seedsTotal > 1 ? "\(g.name) (\(g.summaries.count)/\(g.seedsTotal) seeds)" : g.name
        }
        var cells = complete.map { cell($0, metric: metric, cost: cost) }
        cells.sort { $0.accuracy > $1.accuracy || ($0.accuracy == $1.accuracy && $0.name < $1.name) }
        for i in cells.indices { cells[i].rank = i + 1 }
        let best = cells.first?.accuracy ?? 0
        for i in cells.indices { cells[i].withinTolerance = cells[i].accuracy >= best - tolerance }
        let accuracy = cells.map(\.accuracy)
        for against in Cost.allCases where against != .latency || cost == .latency {
            let costs = cells.map { against.value(parameters: $0.parameters, gflops: $0.gflops, latencyMs: $0.latencyMs) ?? .infinity }
            for (i, onFront) in Pareto.onFront(cost: costs, accuracy: accuracy).enumerated() where onFront {
                cells[i].paretoFronts.append(against)
                if against == cost { cells[i].onParetoFront = true }
            }
        }
        guard missing.isEmpty, let leader = cells.first else {
            let rule = cells.isEmpty && missing.isEmpty
                ? "No cell is finished yet."
                : "No recommendation yet: \(missing.count) of \(groups.count) cells are not finished (\(missing.joined(separator: ", "))). Run the study again to finish them."
            return Recommendation(metric: metric, cost: cost, tolerance: tolerance, cells: cells, missing: missing,
                                  recommended: nil, rule: rule, noise: "")
        }
        let candidates = cells.filter(\.withinTolerance)
        let chosen = candidates.max { a, b in a.accuracyPerCost < b.accuracyPerCost || (a.accuracyPerCost == b.accuracyPerCost && a.name > b.name) }!
        let rule = String(
            format: "Among the cells whose %@ is within %.3g of the best (%.4f, %@), studyctl recommends the one with the highest %@ per %@: %@ (%.4f at %@, %.4g per %@). %d cell%@ competed.",
            metric.title, tolerance, leader.accuracy, leader.name, metric.title, cost.unit, chosen.name, chosen.accuracy,
            costText(chosen, cost), chosen.accuracyPerCost, cost.unit, candidates.count, candidates.count == 1 ? "" : "s")
        let runnerUp = cells.first { !$0.withinTolerance }
        let comparisons = seedComparisons(chosen, leader, candidates + (runnerUp.map { [$0] } ?? []), metric)
        return Recommendation(metric: metric, cost: cost, tolerance: tolerance, cells: cells, missing: [],
                              recommended: chosen.name, rule: rule, noise: Recommendation.noiseText(chosen: chosen.name, comparisons: comparisons),
                              comparisons: comparisons)
    }

    /// The chosen cell against the leader, every other cell within the tolerance and the most
    /// accurate cell outside it (so a clear winner is still set against the runner-up), by
    /// Welch's t-test of their seeds; nil with one seed per cell.
    static func seedComparisons(_ chosen: Recommendation.Cell, _ leader: Recommendation.Cell, _ candidates: [Recommendation.Cell],
                                _ metric: Metric) -> [Recommendation.SeedComparison]? {
        guard chosen.map50to95.values.count >= 2 else { return nil }
        var seen: Set<String> = []
        return ([leader] + candidates).filter { $0.name != chosen.name && seen.insert($0.name).inserted }.compactMap { other in
            SeedStatistics.welchP(metric.statistic(chosen).values, metric.statistic(other).values).map { .init(cell: other.name, p: $0) }
        }
    }

    static func cell(_ g: Group, metric: Metric, cost: Cost) -> Recommendation.Cell {
        let best = g.summaries.map(\.best)
        let f1 = best.map { $0.precision + $0.recall > 0 ? 2 * $0.precision * $0.recall / ($0.precision + $0.recall) : 0 }
        let first = g.summaries[0]
        let latency = cost == .latency && !g.latencies.isEmpty ? g.latencies.map(\.medianMs).reduce(0, +) / Double(g.latencies.count) : nil
        var c = Recommendation.Cell(
            name: g.name, backbone: g.backbone, neck: g.neck, imageSize: g.imageSize, seedsDone: g.summaries.count,
            seedsTotal: g.seedsTotal, parameters: first.parameters, gflops: first.gflops, latencyMs: latency,
            map50: SeedStatistics.summarise(best.map(\.map50)), map50to95: SeedStatistics.summarise(best.map(\.map50to95)),
            precision: SeedStatistics.summarise(best.map(\.precision)), recall: SeedStatistics.summarise(best.map(\.recall)),
            f1: SeedStatistics.summarise(f1), accuracy: 0, cost: 0, accuracyPerCost: 0, rank: 0, onParetoFront: false,
            paretoFronts: [], withinTolerance: false)
        c.accuracy = metric.statistic(c).mean
        c.cost = cost.value(parameters: c.parameters, gflops: c.gflops, latencyMs: latency) ?? .infinity
        c.accuracyPerCost = c.accuracy / max(c.cost, 1e-12)
        return c
    }

    static func costText(_ c: Recommendation.Cell, _ cost: Cost) -> String {
        switch cost {
        case .params: String(format: "%.2f M parameters", c.cost)
        case .gflops: String(format: "%.3f GFLOPs", c.cost)
        case .latency: String(format: "%.1f ms", c.cost)
        }
    }
}
