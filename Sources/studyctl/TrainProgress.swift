import Foundation
import Training

/// YOLOv5's console display for training: per epoch a bar with epoch, memory, the three losses,
/// instances, size, images/s and ETA (redrawn in place on a terminal, one line per epoch
/// otherwise), then val.py's table. Every finished line also goes to train.log.
final class TrainProgress: TrainingListener {
    private let terminal: Bool
    private let prefix: String
    private let logPath: String
    private var log: FileHandle?
    /// Lines written before the run folder exists, for the log once it does.
    private var unlogged: [String] = []
    private var lastDraw = Date.distantPast
    private var batchLine = ""
    private var epochsLeft = 0
    private var epochSeconds: [Double] = []

    /// Appends finished lines to `logPath`; `prefix` starts every console line (the cell, when
    /// several train at once); `plain` never redraws a bar in place.
    init(logPath: String, prefix: String = "", plain: Bool = false) {
        terminal = !plain && isatty(STDOUT_FILENO) != 0
        self.prefix = prefix
        self.logPath = logPath
    }

    deinit { try? log?.close() }

    /// Prints a finished line and logs it.
    func line(_ text: String) {
        if terminal && !batchLine.isEmpty { FileHandle.standardOutput.write(Data("\r\u{1B}[K".utf8)) }
        FileHandle.standardOutput.write(Data((text.split(separator: "\n", omittingEmptySubsequences: false).map { prefix + $0 }.joined(separator: "\n") + "\n").utf8))
        unlogged.append(text)
        if log == nil, FileManager.default.fileExists(atPath: (logPath as NSString).deletingLastPathComponent) {
            if !FileManager.default.fileExists(atPath: logPath) { _ = FileManager.default.createFile(atPath: logPath, contents: nil) }
            log = FileHandle(forWritingAtPath: logPath)
            _ = try? log?.seekToEnd()
        }
        guard let log else { return }
        log.write(Data((unlogged.joined(separator: "\n") + "\n").utf8))
        unlogged.removeAll()
    }

    func handle(_ event: TrainingEvent) {
        switch event {
        case .message(let text):
            line(text)
        case .epochStarted(let epoch, let epochs, _):
            epochsLeft = epochs - epoch
            line("\n" + ["Epoch", "Mem", "box_loss", "obj_loss", "cls_loss", "Instances", "Size"].map { pad($0, 11) }.joined())
        case .batchEnded(let p):
            batchLine = barLine(p)
            let done = p.batch == p.batches
            if terminal, done || Date().timeIntervalSince(lastDraw) > 0.2 {
                FileHandle.standardOutput.write(Data(("\r\u{1B}[K" + prefix + batchLine).utf8))
                lastDraw = Date()
            }
        case .validationProgress, .stopped:
            break
        case .epochEnded(let report):
            if !batchLine.isEmpty {
                if terminal { FileHandle.standardOutput.write(Data("\r\u{1B}[K".utf8)) }
                let text = batchLine
                batchLine = ""
                line(text)
            }
            epochSeconds.append(report.trainSeconds + report.validationSeconds)
            line(EvalTable.header)
            let m = report.metrics
            line(EvalTable.row("all", m.images, m.instances.reduce(0, +), [m.precision, m.recall, m.map50, m.map50to95])
                 + String(format: "   (val %.1f s%@)", report.validationSeconds, report.isBest ? ", best" : ""))
        case .finished(let run, let reason):
            line(String(format: "\n%@ in %.0f s: best epoch %d, mAP50 %.3f, mAP50-95 %.3f; %.1f images/s training, %.1f s validation per epoch",
                        reason.prefix(1).uppercased() + reason.dropFirst(), run.timing.wallSeconds, run.summary.bestEpoch,
                        run.summary.best.map50, run.summary.best.map50to95, run.timing.imagesPerSecond,
                        run.timing.validationSecondsPerEpoch))
            if let loader = run.timing.loaderSeconds, let wait = run.timing.dataWaitSeconds, run.timing.trainSeconds > 0 {
                let coreSeconds = run.timing.trainSeconds * Double(max(run.timing.threads, 1))
                line(String(format: "Data loader: %.1f CPU-seconds building batches, %.0f%% of the %d thread(s) × %.0f s of training; the step waited %.1f s for data",
                            loader, 100 * loader / coreSeconds, run.timing.threads, run.timing.trainSeconds, wait))
            }
        }
    }

    private func barLine(_ p: BatchProgress) -> String {
        let mem = String(format: "%.2gG", Double(p.residentBytes) / 1e9)
        let head = pad("\(p.epoch)/\(p.epochs - 1)", 11) + pad(mem, 11)
            + [p.box, p.obj, p.cls].map { pad(String(format: "%.4g", $0), 11) }.joined()
            + pad("\(p.instances)", 11) + pad("\(p.size)", 11)
        let fraction = Double(p.batch) / Double(p.batches)
        let filled = Int(fraction * 10)
        let bar = String(repeating: "█", count: filled) + String(repeating: " ", count: 10 - filled)
        let rate = p.seconds > 0 ? Double(p.images) / p.seconds : 0
        let remaining = fraction > 0 ? p.seconds / fraction - p.seconds : 0
        let perEpoch = epochSeconds.isEmpty ? p.seconds / max(fraction, 1e-9) : epochSeconds.reduce(0, +) / Double(epochSeconds.count)
        let eta = remaining + perEpoch * Double(max(epochsLeft - 1, 0))
        return head + String(format: ": %3.0f%%|%@| %d/%d [%@<%@, %.1f img/s] ETA %@", fraction * 100, bar, p.batch, p.batches,
                             clock(p.seconds), clock(remaining), rate, clock(eta))
    }

    private func pad(_ text: String, _ width: Int) -> String { EvalTable.pad(text, width) }
}
