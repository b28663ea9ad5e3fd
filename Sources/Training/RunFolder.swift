import Detection
import Engine
import Foundation
import Results
import Zoo

/// Writes a training run's files (`RunLayout`) after every epoch in an order that keeps the folder
/// consistent at any instant: weights, results.csv, curves.json, gallery, timing.json, then the
/// checkpoint that makes the epoch count as done; summary.json and latency.json at the end.
public final class RunFolder: TrainingListener {
    public let layout: RunLayout
    /// The first write that failed, if any (the trainer goes on; the command reports it).
    public private(set) var failure: String?

    public init(_ layout: RunLayout) { self.layout = layout }

    public var path: String { layout.path }

    /// Creates the folders.
    public func prepare() throws(ResultFileError) {
        for folder in layout.folders {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw ResultFileError(file: folder, "cannot create the folder: \(error.localizedDescription)")
            }
        }
    }

    /// Deletes temporary files a killed process left half-written (`*.tmp-<pid>`). Call it while
    /// holding the folder's lock: no other process writes here then.
    public func removeStaleTemporaries() {
        for folder in layout.folders {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.contains(".tmp-") {
                try? FileManager.default.removeItem(atPath: folder + "/" + name)
            }
        }
    }

    /// Rewrites results.csv from a checkpoint's rows (a resumed run drops rows of an unfinished epoch).
    public func restoreResults(_ rows: [EpochResult]) throws(ResultFileError) {
        try ResultFiles.writeAtomically(Data(ResultsCSV.text(rows).utf8), to: layout.results)
    }

    public func handle(_ event: TrainingEvent) {
        do {
            switch event {
            case .epochEnded(let report):
                let meta = ["epoch": "\(report.row.epoch)", "format": "studyctl-weights",
                            "spec": report.weights.spec.description, "classes": "\(report.weights.spec.classes)",
                            "names": String(decoding: ResultFiles.json(report.names), as: UTF8.self)]
                try report.weights.saveWeights(to: layout.lastWeights, metadata: meta)
                if report.isBest { try report.weights.saveWeights(to: layout.bestWeights, metadata: meta) }
                try ResultFiles.writeAtomically(Data(ResultsCSV.text(report.rows).utf8), to: layout.results)
                try ResultFiles.writeJSON(Self.curves(report.metrics, names: report.names), to: layout.curves)
                if !report.gallery.isEmpty { try writeGallery(report.gallery, epoch: report.row.epoch, names: report.names) }
                try ResultFiles.writeJSON(report.timing, to: layout.timing)
                try report.checkpoint.write(to: layout.checkpoint)
            case .stopped(let checkpoint, let timing):
                try ResultFiles.writeJSON(timing, to: layout.timing)
                try checkpoint.write(to: layout.checkpoint)
            case .finished(let run, _):
                try layout.writeLatencies([run.latency])
                try ResultFiles.writeJSON(run.timing, to: layout.timing)
                try ResultFiles.writeJSON(run.summary, to: layout.summary)
            default:
                break
            }
        } catch {
            if failure == nil { failure = "\(error)" }
        }
    }

    /// The gallery's images (once: they are the same every epoch) and its gallery.json.
    func writeGallery(_ samples: [GallerySample], epoch: Int, names: [String]) throws {
        let gallery = GallerySample.gallery(samples, epoch: epoch, names: names)
        for (sample, image) in zip(samples, gallery.images) where !FileManager.default.fileExists(atPath: path + "/" + image.file) {
            try ResultFiles.writeAtomically(Data(try PNGCodec.encode(sample.image)), to: path + "/" + image.file)
        }
        try ResultFiles.writeJSON(gallery, to: layout.galleryIndex)
    }

    /// The report's per-cell curves from a validation's metrics.
    public static func curves(_ m: YOLOv5Metrics, names: [String]) -> Curves {
        let c = m.perClass?.curves
        let grid = (0..<1000).map { Double($0) / 999 }
        return Curves(
            names: names, confidence: c?.grid ?? grid, classes: c?.classes ?? [], precision: c?.precision ?? [],
            recall: c?.recall ?? [], f1: c?.f1 ?? [], precisionAll: c?.meanPrecision ?? [], recallAll: c?.meanRecall ?? [],
            f1All: c?.meanF1 ?? [], prRecall: c?.grid ?? grid, pr: c?.pr ?? [], prAll: c?.meanPR ?? [],
            instances: m.perClass?.instances ?? [], ap50: m.perClass?.ap50 ?? [], ap50to95: m.perClass?.ap50to95 ?? [],
            classPrecision: m.perClass?.precision ?? [], classRecall: m.perClass?.recall ?? [],
            bestConfidence: m.perClass?.bestConfidence ?? 0, confusion: m.confusionMatrix.counts)
    }
}

extension RunFolder {
    /// Where a run folder stands for a run of `identity`.
    public enum State {
        /// Nothing trained yet.
        case fresh
        /// Epochs are done; continue from this checkpoint.
        case resumable(Checkpoint)
        /// summary.json is written: nothing left to do.
        case finished(Checkpoint)
    }

    /// Reads the folder's checkpoint, refusing one of another run (different model, data, recipe or seed).
    public func state(identity: String, description: String) throws(CheckpointError) -> State {
        guard FileManager.default.fileExists(atPath: layout.checkpoint) else { return .fresh }
        let saved = try Checkpoint.read(layout.checkpoint)
        guard saved.identity == identity else {
            throw CheckpointError(
                path: path,
                "holds the checkpoint of another run (\(saved.runDescription), or other data or hyperparameters) — not \(description); use another output folder, or delete \(path)/checkpoint to start over")
        }
        return FileManager.default.fileExists(atPath: layout.summary) ? .finished(saved) : .resumable(saved)
    }
}
