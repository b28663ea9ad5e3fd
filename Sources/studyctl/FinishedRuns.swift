import Foundation
import Results

/// The finished runs a RUN_DIR|STUDY_DIR argument names: the run itself, or every run of the study
/// (`studyctl latency`, `studyctl export --bundle`).
enum FinishedRuns {
    static func of(_ folder: String) throws -> [RunLayout] {
        if FileManager.default.fileExists(atPath: RunLayout(folder).summary) { return [RunLayout(folder)] }
        let study = StudyLayout(folder)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: study.runs)) ?? []).sorted().compactMap(RunName.init)
        let finished = names.map(study.run).filter { FileManager.default.fileExists(atPath: $0.summary) }
        guard !finished.isEmpty else {
            throw CLIError.badInput("error: \(folder): no finished run (a run folder with summary.json, or a study folder with runs/)")
        }
        return finished
    }

    /// The cell a run belongs to ("ghostnet__pan-aspp"): a study run's folder name without the
    /// seed, else the backbone and neck its summary.json names.
    static func cell(_ run: RunLayout) -> String {
        let name = (run.path as NSString).lastPathComponent
        if let parsed = RunName(name) { return parsed.cell }
        guard let summary = try? ResultFiles.readJSON(RunSummary.self, from: run.summary) else { return name }
        return "\(summary.backbone)__\(summary.neck)"
    }
}
