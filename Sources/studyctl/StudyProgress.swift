import Foundation
import Results
import Study
import Training

/// The console of `studyctl run`: a grid line per cell (cells done / total, the cell, ETA from
/// measured speed) above the trainer's epoch bar, and the recommendation at the end; with
/// `--jobs` above 1, one plain line per finished epoch instead of bars.
final class StudyProgress: StudyListener {
    let log: FileHandle?
    let jobs: Int
    private let lock = NSLock()
    private let terminal = isatty(STDOUT_FILENO) != 0
    private var statusShown = false
    private var lastStatus = ""
    private var statusSince: Date?
    /// The grid position of the cell now training (one at a time), shown at the start of its bars.
    private var position = ""

    /// Appends what it prints to `logPath` (none: the console only).
    init(logPath: String?, jobs: Int) {
        if let logPath, !FileManager.default.fileExists(atPath: logPath) { _ = FileManager.default.createFile(atPath: logPath, contents: nil) }
        log = logPath.flatMap { FileHandle(forWritingAtPath: $0) }
        _ = try? log?.seekToEnd()
        self.jobs = jobs
    }

    func line(_ text: String) {
        lock.withLock {
            if statusShown { FileHandle.standardOutput.write(Data("\r\u{1B}[K".utf8)) }
            statusShown = false
            FileHandle.standardOutput.write(Data((text + "\n").utf8))
            log?.write(Data((text + "\n").utf8))
        }
    }

    /// A status line: redrawn in place on a terminal with the time since the first one; elsewhere
    /// printed (and logged) when it says something new.
    func status(_ text: String) {
        lock.withLock {
            let since = statusSince ?? Date()
            statusSince = since
            if terminal {
                FileHandle.standardOutput.write(Data(("\r\u{1B}[K" + text + " · \(clock(Date().timeIntervalSince(since)))").utf8))
                statusShown = true
            }
            guard text != lastStatus else { return }
            lastStatus = text
            if !terminal { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }
            log?.write(Data((text + "\n").utf8))
        }
    }

    func handle(_ event: StudyEvent) {
        switch event {
        case .message(let text):
            line(text)
        case .status(let text):
            status(text)
        case .cellStarted(let index, let total, let cell, let eta):
            let etaText = eta.map { " · study ETA \(clock($0))" } ?? ""
            lock.withLock { position = "[\(index)/\(total)] " }
            line("\n━━ cell \(index)/\(total): \(cell.name) (\(cell.imageSize) px)\(etaText)")
        case .cellSkipped(let index, let total, let cell):
            line("━━ cell \(index)/\(total): \(cell.name) is finished, skipped")
        case .cellFinished(let index, let total, let cell, let summary, let timing):
            line(String(format: "━━ cell %d/%d: %@ done in %@: best epoch %d, mAP50 %.3f, mAP50-95 %.3f, %.1f images/s",
                        index, total, cell.name, clock(timing?.wallSeconds ?? 0), summary.bestEpoch, summary.best.map50,
                        summary.best.map50to95, timing?.imagesPerSecond ?? 0))
        case .finished(let recommendation):
            line("")
            line(RecommendationTable.text(recommendation))
        }
    }

    func trainingListeners(for cell: Cell, folder: RunLayout) -> [TrainingListener] {
        [TrainProgress(logPath: folder.log, prefix: jobs > 1 ? cell.name + " " : lock.withLock { position }, plain: jobs > 1)]
    }
}

/// Minutes and seconds, or hours when long.
func clock(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%02d:%02d", s / 60, s % 60)
}

/// The recommendation as the console shows it: a ranked table, the rule, the noise statement.
enum RecommendationTable {
    static func text(_ r: Recommendation) -> String {
        func pm(_ s: SeedStatistic) -> String {
            s.ci95.map { String(format: "%.3f±%.3f", s.mean, $0) } ?? String(format: "%.3f", s.mean)
        }
        // String(format:) does not pad %@ on Linux: every column is padded here, header and rows alike.
        func right(_ text: String, _ width: Int) -> String { EvalTable.pad(text, width) }
        func left(_ text: String, _ width: Int) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
        let ratio = "\(r.metric.rawValue)/\(r.cost.rawValue)", ratioWidth = max(13, ratio.count)
        // latency is in the recommendation only when it ranks by it (a measurement of the machine)
        let latency = r.cells.contains { $0.latencyMs != nil }
        var lines = ["rank  " + left("cell", 38) + right("params", 8) + right("GFLOPs", 9) + (latency ? right("latency", 9) : "") + right("mAP50", 13)
            + right("mAP50-95", 13) + right(ratio, ratioWidth + 2) + "  pareto"]
        for c in r.cells {
            let name = c.name.count > 38 ? String(c.name.prefix(37)) + "…" : c.name
            lines.append(right("\(c.rank)", 4) + "  " + left(name, 38) + right(String(format: "%.2fM", Double(c.parameters) / 1e6), 8)
                + right(String(format: "%.3f", c.gflops), 9) + (latency ? right(c.latencyMs.map { String(format: "%.1fms", $0) } ?? "-", 9) : "")
                + right(pm(c.map50), 13) + right(pm(c.map50to95), 13) + right(String(format: "%.3f", c.accuracyPerCost), ratioWidth + 2)
                + (c.onParetoFront ? "  yes" : ""))
        }
        for m in r.missing { lines.append("   -  \(m): not finished") }
        lines.append("")
        lines.append(r.rule)
        if !r.noise.isEmpty { lines.append(r.noise) }
        return lines.joined(separator: "\n")
    }
}
