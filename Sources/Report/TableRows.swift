import Foundation
import Results

/// The comparison table's rows, shared by the HTML and PDF reports: every cell of the grid,
/// finished ones with their figures (mean ± 95 % seed interval), the others marked.
struct TableRows {
    struct Row {
        var cell: String
        var seeds: String
        var values: [Value]
        var recommended: Bool
        var finished: Bool
    }

    /// A table value: its text, and the number it sorts by (nil sorts last).
    struct Value {
        var text: String
        var number: Double?
    }

    let study: StudyResults
    let strings: Strings

    /// Column heads after the cell and seeds columns.
    func heads(_ rec: Recommendation?) -> [String] {
        let s = strings
        let metric = s.metricName[(rec?.metric ?? .map50_95).rawValue] ?? ""
        let per = s.perCost[(rec?.cost ?? .params).rawValue] ?? ""
        return [s.params, s.gflops, s.onnxSize, s.latency, s.precision, s.recall, s.map50, s.map5095, "\(metric) \(per)", s.rank, s.pareto]
    }

    func rows() -> [Row] {
        let rec = study.recommendation
        var out: [Row] = []
        for c in rec?.cells ?? [] {
            let stat = { (x: SeedStatistic) -> Value in
                // no-break spaces: a value and its interval stay on one line in a narrow column
                Value(text: x.ci95.map { String(format: "%.3f\u{00A0}±\u{00A0}%.3f", x.mean, $0) } ?? String(format: "%.3f", x.mean), number: x.mean)
            }
            let values = [
                Value(text: String(format: "%.2f", Double(c.parameters) / 1e6), number: Double(c.parameters)),
                Value(text: String(format: "%.2f", c.gflops), number: c.gflops),
                onnxBytes(c).map { Value(text: String(format: "%.1f", Double($0) / 1e6), number: Double($0)) } ?? Value(text: "—", number: nil),
                study.latencyMs(c).map { Value(text: String(format: "%.1f", $0), number: $0) } ?? Value(text: "—", number: nil),
                stat(c.precision), stat(c.recall), stat(c.map50), stat(c.map50to95),
                Value(text: String(format: "%.3f", c.accuracyPerCost), number: c.accuracyPerCost),
                Value(text: "\(c.rank)", number: Double(c.rank)),
                Value(text: c.onParetoFront ? "✓" : "", number: c.onParetoFront ? 1 : 0),
            ]
            let record = study.cells.first { $0.name == c.name }
            let label = record.map { CellStyles(study: study, strings: strings).label($0) } ?? c.name
            out.append(Row(cell: label, seeds: "\(c.seedsDone)/\(c.seedsTotal)", values: values,
                           recommended: rec?.recommended == c.name, finished: c.seedsDone == c.seedsTotal))
        }
        let listed = Set(rec?.cells.map(\.name) ?? [])
        for cell in study.cells where !listed.contains(cell.name) {
            let label = CellStyles(study: study, strings: strings).label(cell)
            out.append(Row(cell: label, seeds: "\(cell.finishedRuns.count)/\(cell.runs.count)",
                           values: heads(rec).map { _ in Value(text: "—", number: nil) }, recommended: false, finished: false))
        }
        return out
    }

    /// The recommendation in one sentence, or why there is none yet.
    func recommendationSentence() -> String {
        let s = strings
        guard let rec = study.recommendation else { return "\(s.noRecommendation) \(s.noRecommendationFile)" }
        guard let name = rec.recommended, let c = rec.cells.first(where: { $0.name == name }) else {
            return "\(s.noRecommendation) \(s.missingCells(max(1, rec.missing.count)))"
        }
        let metric = s.metricName[rec.metric.rawValue] ?? rec.metric.title
        let acc = rec.metric.statistic(c)
        let value = acc.ci95.map { String(format: "%.3f ± %.3f", acc.mean, $0) } ?? String(format: "%.3f", acc.mean)
        return s.recommend(cell: name, metric: metric, value: value, cost: rec.cost.rawValue,
                           costValue: String(format: "%.2f", c.cost), ratio: String(format: "%.3f", c.accuracyPerCost))
    }

    /// The ONNX file of a cell's first finished seed, when the study exported it.
    func onnxRun(_ c: Recommendation.Cell) -> RunRecord? {
        study.cells.first { $0.name == c.name }?.finishedRuns.first { $0.onnxBytes != nil }
    }

    func onnxBytes(_ c: Recommendation.Cell) -> Int? { onnxRun(c)?.onnxBytes }

    /// How the latency column was measured: each distinct image size, runtime, thread count and
    /// machine of the finished runs' latency.json; nil when none has one.
    func latencySentence() -> String? {
        var lines: [String] = []
        for m in study.cells.flatMap(\.finishedRuns).compactMap(\.latency) {
            let line = String(format: strings.latencyBy, m.imageSize, m.runtime, m.threads, m.machine)
            if !lines.contains(line) { lines.append(line) }
        }
        return lines.isEmpty ? nil : lines.joined(separator: " ")
    }

    /// Which backbones started from pretrained weights (the manifest's files: published ImageNet
    /// weights or the user's own); nil when every one trained from scratch.
    func pretrainedSentence() -> String? {
        guard let files = study.manifest?.pretrained, !files.isEmpty else { return nil }
        let list = files.sorted { $0.key < $1.key }.map { "\($0.key) (\(($0.value.file as NSString).lastPathComponent), sha256 \($0.value.sha256.prefix(12))…)" }
        let all = Set(study.backbones).isSubset(of: files.keys)
        return String(format: all ? strings.allStartedFrom : strings.startedFrom, list.joined(separator: ", "))
    }

    /// Where the recommended cell's ONNX file is and how to make it again; nil without one.
    func deploySentence() -> String? {
        guard let rec = study.recommendation, let name = rec.recommended, let c = rec.cells.first(where: { $0.name == name }),
              let run = onnxRun(c), let bytes = run.onnxBytes else { return nil }
        let s = strings
        return String(format: "%@: runs/%@/weights/best.onnx (%.1f MB, ONNX opset 17, %d px) — %@ `studyctl export %@`",
                      s.deploy, run.name.description, Double(bytes) / 1e6, c.imageSize, s.exportAgain, run.layout.path)
    }

    /// Which leaders are within seed noise of the recommended cell, in the report's language; nil
    /// before there is a recommendation.
    func noiseSentence() -> String? {
        guard let rec = study.recommendation, let name = rec.recommended else { return nil }
        let seeds = rec.cells.first { $0.name == name }?.seedsDone ?? 0
        if rec.comparisons == nil && seeds >= 2 { return rec.noise }  // a file from before the figures were written
        return strings.noise(chosen: name, comparisons: rec.comparisons)
    }

    /// The rule in the report's language, from the recommendation's fields.
    func ruleSentence() -> String? {
        guard let rec = study.recommendation else { return nil }
        let s = strings
        let rule = s.ruleText(metric: s.metricName[rec.metric.rawValue] ?? rec.metric.title,
                              cost: s.costName[rec.cost.rawValue] ?? rec.cost.rawValue, tolerance: String(format: "%g", rec.tolerance))
        return rec.cost == .latency ? rule + " " + s.latencyCaveat : rule
    }
}
