import Detection
import Engine
import Foundation
import Results
import Training

/// The work of `studyctl train` once its options are parsed: datasets, cache, lock, resume, trainer.
struct TrainCommand {
    var options: TrainingOptions
    var yaml: DataYAML
    var cache: StudyCtl.CacheChoice
    var resume: Bool

    func run() throws {
        let train = try inputProblem { () throws(InputProblem) in try DetectionDataset.load(yaml, split: "train") }
        let val = try inputProblem { () throws(InputProblem) in try DetectionDataset.load(yaml, split: "val") }
        let folder = RunFolder(options.output)
        try wrap { () throws(ResultFileError) in try folder.prepare() }
        let lock: FolderLock
        do { lock = try FolderLock(folder: options.output) } catch { throw CLIError.badInput("error: \(error)") }
        folder.removeStaleTemporaries()
        defer { lock.release() }
        let progress = TrainProgress(logPath: options.output + "/train.log")
        for (name, split) in [("train", train), ("val", val)] {
            progress.line("\(name): \(split.count) images, \(split.instanceCount) labels, \(split.ignored.count) ignored"
                          + (split.duplicateLabels > 0 ? ", \(split.duplicateLabels) duplicate labels removed" : ""))
            for problem in split.ignored.prefix(20) { progress.line("warning: ignoring \(problem)") }
            if split.ignored.count > 20 { progress.line("warning: ... and \(split.ignored.count - 20) more ignored images") }
        }
        let fingerprint = combinedFingerprint(train, val)
        let identity = options.identity(datasetFingerprint: fingerprint)

        var checkpoint: Checkpoint?
        let state: RunFolder.State
        do { state = try folder.state(identity: identity, description: options.description) } catch { throw CLIError.badInput("error: \(error)") }
        switch state {
        case .finished(let saved):
            progress.line("\(options.output) is already finished (\(saved.rows.count) epochs); its results are in \(options.output)/results.csv")
            return
        case .resumable(let saved):
            checkpoint = saved
            try wrap { () throws(ResultFileError) in try folder.restoreResults(saved.rows) }
        case .fresh:
            if resume { throw CLIError.badInput("error: --resume: \(options.output) has no checkpoint to resume from") }
        }

        let trainStore = ImageStore(train, imageSize: options.imageSize, forTraining: true)
        let valStore = ImageStore(val, imageSize: options.imageSize, forTraining: false)
        for (name, store) in [("train", trainStore), ("val", valStore)] { try cacheImages(store, name: name, progress: progress) }
        let trainer = Trainer(options: options, trainStore: trainStore,
                              validator: Validator(store: valStore, batchSize: options.batch * 2, galleryCount: GallerySample.count), datasetFingerprint: fingerprint)
        trainer.listeners = [folder, progress]
        progress.line("\(options.spec.description): \(options.epochs) epochs, batch \(options.batch), \(options.imageSize) px, seed \(options.seed), \(ThreadPool.shared.threadCount) threads; logging to \(options.output)")
        installInterruptHandler()
        do {
            _ = try trainer.run(resume: checkpoint)
        } catch let interrupted as TrainingInterrupted {
            progress.line("\n\(interrupted)")
            lock.release()
            Foundation.exit(130)
        }
        if let failure = folder.failure { throw CLIError.failed("error: writing the run's files failed: \(failure)") }
        progress.line("Results: \(options.output)/results.csv, weights: \(options.output)/weights/best.safetensors")
    }

    /// Decodes and keeps the images in RAM when asked to, or (auto) when they fit in a quarter of it.
    func cacheImages(_ store: ImageStore, name: String, progress: TrainProgress) throws {
        let bytes = store.resizedBytes
        let physical = Int(ProcessInfo.processInfo.physicalMemory)
        let fits = bytes < physical / 4
        guard cache == .ram || (cache == .auto && fits) else {
            progress.line(String(format: "%@: not caching images (%.1f MB would exceed a quarter of RAM; --cache ram forces it)", name, Double(bytes) / 1e6))
            return
        }
        let started = Date()
        let problems = store.cacheAll()
        if problems.count == store.dataset.count {
            throw CLIError.badInput("error: \(yaml.file): \(name): none of the \(problems.count) images can be decoded, so there is nothing to train on (first: \(problems[0]))")
        }
        for problem in problems.prefix(5) { progress.line("warning: \(problem) (trained as a grey image)") }
        progress.line(String(format: "%@: cached %d images in RAM (%.1f MB) in %.1f s", name, store.dataset.count, Double(bytes) / 1e6,
                             Date().timeIntervalSince(started)))
    }

    func combinedFingerprint(_ train: DetectionDataset, _ val: DetectionDataset) -> String {
        SHA256.hex(Array((train.fingerprint() + val.fingerprint()).utf8))
    }

    func wrap(_ body: () throws(ResultFileError) -> Void) throws {
        do { try body() } catch { throw CLIError.failed("error: \(error)") }
    }
}

/// Ctrl-C asks the trainer to stop at the next batch; a second Ctrl-C ends the process at once.
func installInterruptHandler() {
    signal(SIGINT) { _ in
        if Trainer.interruptRequested { _exit(130) }
        Trainer.interruptRequested = true
    }
}
