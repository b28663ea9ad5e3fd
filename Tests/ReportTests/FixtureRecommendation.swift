import Foundation
import Results

/// The recommendation a study runner would write for the fixture's summaries — computed here
/// from the statistics' definitions, independently of the report's code.
enum FixtureRecommendation {
    static let t975 = [12.706, 4.303, 3.182, 2.776, 2.571]

    static func statistic(_ values: [Double]) -> SeedStatistic {
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        let sd = values.count > 1 ? (values.reduce(0) { $0 + pow($1 - mean, 2) } / (n - 1)).squareRoot() : 0
        return SeedStatistic(mean: mean, std: sd, ci95: values.count > 1 ? t975[values.count - 2] * sd / n.squareRoot() : nil,
                             values: values)
    }

    static func make(cells: [String], seeds: Int, summaries: [String: RunSummary], tolerance: Double = 0.01) -> Recommendation {
        var out: [Recommendation.Cell] = []
        var missing: [String] = []
        for cell in cells {
            let runs = (0..<seeds).compactMap { summaries["\(cell)__s\($0)"] }
            if runs.count < seeds { missing.append(cell) }
            guard let first = runs.first else { continue }
            let f1 = runs.map { 2 * $0.best.precision * $0.best.recall / max(1e-9, $0.best.precision + $0.best.recall) }
            out.append(Recommendation.Cell(
                name: cell, backbone: first.backbone, neck: first.neck, imageSize: first.imageSize, seedsDone: runs.count,
                seedsTotal: seeds, parameters: first.parameters, gflops: first.gflops,
                latencyMs: nil,
                map50: statistic(runs.map(\.best.map50)), map50to95: statistic(runs.map(\.best.map50to95)),
                precision: statistic(runs.map(\.best.precision)), recall: statistic(runs.map(\.best.recall)),
                f1: statistic(f1), accuracy: 0, cost: 0, accuracyPerCost: 0, rank: 0, onParetoFront: false, paretoFronts: [],
                withinTolerance: false))
        }
        out.sort { $0.map50to95.mean > $1.map50to95.mean }
        let best = out.first?.map50to95.mean ?? 0
        for i in out.indices {
            out[i].rank = i + 1
            (out[i].accuracy, out[i].cost) = (out[i].map50to95.mean, Double(out[i].parameters) / 1e6)
            out[i].accuracyPerCost = out[i].map50to95.mean / (Double(out[i].parameters) / 1e6)
            out[i].withinTolerance = best - out[i].map50to95.mean <= tolerance
            out[i].onParetoFront = !out.contains { o in
                o.parameters <= out[i].parameters && o.map50to95.mean >= out[i].map50to95.mean
                    && (o.parameters < out[i].parameters || o.map50to95.mean > out[i].map50to95.mean)
            }
            let onGFLOPsFront = !out.contains { o in
                o.gflops <= out[i].gflops && o.map50to95.mean >= out[i].map50to95.mean
                    && (o.gflops < out[i].gflops || o.map50to95.mean > out[i].map50to95.mean)
            }
            out[i].paretoFronts = (out[i].onParetoFront ? [.params] : []) + (onGFLOPsFront ? [.gflops] : [])
        }
        let chosen = missing.isEmpty ? out.filter(\.withinTolerance).max { $0.accuracyPerCost < $1.accuracyPerCost }?.name : nil
        return Recommendation(
            metric: .map50_95, cost: .params, tolerance: tolerance, cells: out, missing: missing, recommended: chosen,
            rule: "Among cells within 0.01 mAP@0.5:0.95 of the best, the highest mAP@0.5:0.95 per million parameters.",
            noise: seeds > 1 ? "Fixture: noise not tested (invented numbers)." : "one seed: noise unknown",
            comparisons: seeds > 1 && chosen != nil ? out.filter { $0.withinTolerance && $0.name != chosen }.map { .init(cell: $0.name, p: 0.42) } : nil)
    }
}
