import Foundation
import Results

/// One training run of a study: `runs/<run name>/`, finished when it has summary.json.
public struct RunRecord: Sendable {
    public var name: RunName
    /// The cell it belongs to: the name without `__s<seed>`.
    public var cell: String { name.cell }
    public var backbone: String { name.backbone }
    public var neck: String { name.neck }
    public var seed: UInt64 { name.seed }
    /// results.csv rows so far (empty when the run has not started).
    public var rows: [EpochResult]
    public var curves: Curves?
    public var summary: RunSummary?
    /// The best epoch's detections on the first validation images, and the run folder its files are in.
    public var gallery: Gallery?
    /// Why the run failed, as the manifest records it (with its log); nil unless it failed.
    public var failure: String?
    /// The size of weights/best.onnx, when the study exported it.
    public var onnxBytes: Int?
    /// The batch-1 latency measured after training (latency.json), when there is one.
    public var latency: LatencyMeasurement?
    public var layout: RunLayout

    public var finished: Bool { summary != nil }
}

/// A backbone × neck (× image size) cell: its runs over the seeds.
public struct CellRecord: Sendable {
    public var name: String
    public var backbone: String
    public var neck: String
    /// Every declared run, by seed; unstarted ones have no rows.
    public var runs: [RunRecord]

    public var finishedRuns: [RunRecord] { runs.filter(\.finished) }
    public var finished: Bool { !runs.isEmpty && runs.allSatisfy(\.finished) }
    /// The runs the charts draw: the finished ones, or while none is, those with rows so far.
    public var drawnRuns: [RunRecord] {
        let done = finishedRuns
        return done.isEmpty ? runs.filter { !$0.rows.isEmpty } : done
    }
}

/// Everything a report is made from: the result files of a study folder (`StudyLayout`), read
/// through `Results`.
public struct StudyResults: Sendable {
    public var layout: StudyLayout
    public var path: String { layout.path }
    public var manifest: StudyManifest?
    public var recommendation: Recommendation?
    /// The copy of the study file, verbatim.
    public var studyFile: String?
    public var cells: [CellRecord]

    /// The study's title for headings: the manifest's, else the folder's name.
    public var title: String {
        if let t = manifest?.title, !t.isEmpty { return t }
        return manifest?.study ?? (path as NSString).lastPathComponent
    }

    public var backbones: [String] { unique(cells.map(\.backbone)) }
    public var necks: [String] { unique(cells.map(\.neck)) }

    /// Reads `path`: manifest.json, recommendation.json and study.toml when present, and every run
    /// the manifest declares or runs/ holds. A file that exists but cannot be read is an error
    /// naming it; a missing one means "not written yet".
    public init(path: String) throws(ResultFileError) {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ResultFileError(file: path, "not a study folder")
        }
        let layout = StudyLayout(path)
        self.layout = layout
        func existing(_ p: String) -> String? { fm.fileExists(atPath: p) ? p : nil }
        manifest = try existing(layout.manifest).map { p throws(ResultFileError) in try ResultFiles.readJSON(StudyManifest.self, from: p) }
        recommendation = try existing(layout.recommendation).map { p throws(ResultFileError) in try Self.readRecommendation(p, layout) }
        studyFile = existing(layout.studyCopy).flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }

        var names = (manifest?.cells.map(\.name) ?? []).compactMap(RunName.init)
        let listed = ((try? fm.contentsOfDirectory(atPath: layout.runs)) ?? []).sorted().compactMap(RunName.init)
        names += listed.filter { !names.contains($0) }
        if let bad = manifest?.cells.first(where: { RunName($0.name) == nil }) {
            throw ResultFileError(file: layout.manifest, "run name \(bad.name) is not <backbone>__<neck>[__<imgsz>]__s<seed>")
        }
        var runs: [RunRecord] = []
        for name in names {
            let run = layout.run(name)
            let rows = try existing(run.results).map { p throws(ResultFileError) -> [EpochResult] in
                guard let text = try? String(contentsOfFile: p, encoding: .utf8) else { throw ResultFileError(file: p, "cannot read") }
                return try ResultsCSV.parse(text, file: p)
            } ?? []
            let summary = try existing(run.summary).map { p throws(ResultFileError) in try ResultFiles.readJSON(RunSummary.self, from: p) }
            let curves = try existing(run.curves).map { p throws(ResultFileError) in try ResultFiles.readJSON(Curves.self, from: p) }
            let gallery = try existing(run.galleryIndex).map { p throws(ResultFileError) in try ResultFiles.readJSON(Gallery.self, from: p) }
            let recorded = manifest?.cells.first { $0.name == name.description }
            let failure = summary == nil && recorded?.state == .failed ? recorded?.failure ?? "" : nil
            runs.append(RunRecord(name: name, rows: rows, curves: summary == nil ? nil : curves, summary: summary,
                                  gallery: summary == nil ? nil : gallery, failure: failure,
                                  onnxBytes: summary == nil ? nil : (try? fm.attributesOfItem(atPath: run.bestONNX)[.size] as? Int) ?? nil,
                                  latency: summary == nil ? nil : run.readLatency(), layout: run))
        }
        var order: [String] = []
        var byCell: [String: [RunRecord]] = [:]
        for run in runs {
            if byCell[run.cell] == nil { order.append(run.cell) }
            byCell[run.cell, default: []].append(run)
        }
        cells = order.map { name in
            let list = byCell[name]!.sorted { $0.seed < $1.seed }
            return CellRecord(name: name, backbone: list[0].backbone, neck: list[0].neck, runs: list)
        }
    }

    /// recommendation.json; one written before the decision's figures were recorded says how to rewrite it.
    static func readRecommendation(_ path: String, _ layout: StudyLayout) throws(ResultFileError) -> Recommendation {
        do {
            return try ResultFiles.readJSON(Recommendation.self, from: path)
        } catch {
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            guard text.contains("\"accuracyPerCost\""), !text.contains("\"paretoFronts\"") else { throw error }
            throw ResultFileError(
                file: path,
                "written by an older studyctl, without the figures the report now reads; run `studyctl run \(layout.studyCopy) --output \(layout.path)` once (it trains nothing that is finished and rewrites recommendation.json), then render again")
        }
    }
}

extension StudyResults {
    /// A cell's batch-1 latency: recommendation.json's when the study ranked by it, else the mean
    /// of its finished runs' latency.json; nil when neither has one.
    public func latencyMs(_ c: Recommendation.Cell) -> Double? {
        if let ms = c.latencyMs { return ms }
        let runs = cells.first { $0.name == c.name }?.finishedRuns.compactMap(\.latency?.medianMs) ?? []
        return runs.isEmpty ? nil : runs.reduce(0, +) / Double(runs.count)
    }

    /// The report's language: the manifest's (the study file's `[report] language`), else English.
    public var language: String { manifest?.language ?? "en" }
}

func unique(_ values: [String]) -> [String] {
    var seen = Set<String>()
    return values.filter { seen.insert($0).inserted }
}
