import Foundation
import Results

/// One training run of a study: `runs/<backbone>__<neck>__s<seed>/`, finished when it has summary.json.
public struct RunRecord: Sendable {
    public var name: String
    /// The cell it belongs to: the name without `__s<seed>`.
    public var cell: String
    public var backbone: String
    public var neck: String
    public var seed: UInt64
    /// results.csv rows so far (empty when the run has not started).
    public var rows: [EpochResult]
    public var curves: Curves?
    public var summary: RunSummary?
    /// The best epoch's detections on the first validation images, and the run folder its files are in.
    public var gallery: Gallery?
    public var path: String = ""

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

/// Everything a report is made from: the result files of a study folder, read through `Results`.
public struct StudyFolder: Sendable {
    public var path: String
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
        self.path = path
        func file(_ name: String) -> String? {
            let p = (path as NSString).appendingPathComponent(name)
            return fm.fileExists(atPath: p) ? p : nil
        }
        manifest = try file("manifest.json").map { p throws(ResultFileError) in try ResultFiles.readJSON(StudyManifest.self, from: p) }
        recommendation = try file("recommendation.json").map { p throws(ResultFileError) in
            try ResultFiles.readJSON(Recommendation.self, from: p)
        }
        studyFile = file("study.toml").flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }

        let runsPath = (path as NSString).appendingPathComponent("runs")
        var names = manifest?.cells.map(\.name) ?? []
        let listed = ((try? fm.contentsOfDirectory(atPath: runsPath)) ?? []).sorted()
        names += listed.filter { !names.contains($0) && RunName($0) != nil }
        var runs: [RunRecord] = []
        for name in names {
            guard let parsed = RunName(name) else { throw ResultFileError(file: runsPath, "run name \(name) is not <backbone>__<neck>__s<seed>") }
            let dir = (runsPath as NSString).appendingPathComponent(name)
            func read(_ file: String) -> String? {
                let p = (dir as NSString).appendingPathComponent(file)
                return fm.fileExists(atPath: p) ? p : nil
            }
            let rows = try read("results.csv").map { p throws(ResultFileError) -> [EpochResult] in
                guard let text = try? String(contentsOfFile: p, encoding: .utf8) else { throw ResultFileError(file: p, "cannot read") }
                return try ResultsCSV.parse(text, file: p)
            } ?? []
            let summary = try read("summary.json").map { p throws(ResultFileError) in try ResultFiles.readJSON(RunSummary.self, from: p) }
            let curves = try read("curves.json").map { p throws(ResultFileError) in try ResultFiles.readJSON(Curves.self, from: p) }
            let gallery = try read("gallery.json").map { p throws(ResultFileError) in try ResultFiles.readJSON(Gallery.self, from: p) }
            runs.append(RunRecord(name: name, cell: parsed.cell, backbone: parsed.backbone, neck: parsed.neck, seed: parsed.seed,
                                  rows: rows, curves: summary == nil ? nil : curves, summary: summary,
                                  gallery: summary == nil ? nil : gallery, path: dir))
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
}

extension StudyFolder {
    /// A cell's batch-1 latency: recommendation.json's when the study ranked by it, else the mean
    /// of its finished runs' measurements (summary.json); NaN when neither has one.
    public func latencyMs(_ c: Recommendation.Cell) -> Double {
        if let ms = c.latencyMs { return ms }
        let runs = cells.first { $0.name == c.name }?.finishedRuns.compactMap(\.summary?.latencyMs) ?? []
        return runs.isEmpty ? .nan : runs.reduce(0, +) / Double(runs.count)
    }
}

/// The parts of a run folder's name: `<backbone>__<neck>[__<more>]__s<seed>`.
struct RunName {
    var cell: String, backbone: String, neck: String, seed: UInt64

    init?(_ name: String) {
        let parts = name.components(separatedBy: "__")
        guard parts.count >= 3, let last = parts.last, last.hasPrefix("s"), let seed = UInt64(last.dropFirst()),
              !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        (cell, backbone, neck, self.seed) = (parts.dropLast().joined(separator: "__"), parts[0], parts[1], seed)
    }
}

func unique(_ values: [String]) -> [String] {
    var seen = Set<String>()
    return values.filter { seen.insert($0).inserted }
}
