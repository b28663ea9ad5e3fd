import Foundation
import Results

/// One run trained into its folder, as `studyctl train` and every cell of a study do it: the
/// folder locked against a second process, a killed process's temporary files removed, a
/// finished run left as it is, an interrupted one resumed from its checkpoint and timings.
public struct TrainingRun {
    public let options: TrainingOptions
    public let data: TrainingData
    public let cache: TrainingData.Cache

    public init(options: TrainingOptions, data: TrainingData, cache: TrainingData.Cache = .auto) {
        (self.options, self.data, self.cache) = (options, data, cache)
    }

    /// How the run ended.
    public enum Outcome {
        /// summary.json was already there: nothing was trained.
        case alreadyFinished(RunSummary)
        case trained(TrainedRun)
    }

    /// Where the run starts, for the caller's console.
    public enum Start {
        case fresh
        case resumed(afterEpoch: Int)
    }

    /// Trains (or resumes) the run; `listeners` follow the trainer's events after the run folder's
    /// own writer, and `starting` hears where it starts.
    public func run(listeners: [TrainingListener], requireCheckpoint: Bool = false,
                    starting: (Start) -> Void = { _ in }) throws -> Outcome {
        let layout = RunLayout(options.output)
        let folder = RunFolder(layout)
        let identity = options.identity(datasetFingerprint: data.fingerprint)
        switch try folder.state(identity: identity, description: options.description) {
        case .finished: return .alreadyFinished(try ResultFiles.readJSON(RunSummary.self, from: layout.summary))
        case .fresh where requireCheckpoint: throw CheckpointError(path: layout.path, "has no checkpoint to resume from")
        default: break
        }
        // Images before the folder: a dataset with nothing to train on leaves nothing behind.
        let stores = try data.stores(imageSize: options.imageSize, cache: cache, validationBatch: options.batch * 2)
        try folder.prepare()
        let lock = try FolderLock(folder: layout.path)
        defer { lock.release() }
        folder.removeStaleTemporaries()
        var checkpoint: Checkpoint?
        switch try folder.state(identity: identity, description: options.description) {
        case .finished:
            return .alreadyFinished(try ResultFiles.readJSON(RunSummary.self, from: layout.summary))
        case .resumable(let saved):
            checkpoint = saved
            try folder.restoreResults(saved.rows)
            starting(.resumed(afterEpoch: saved.epoch))
        case .fresh:
            starting(.fresh)
        }
        let trainer = Trainer(options: options, trainStore: stores.train, validator: stores.validator, datasetFingerprint: data.fingerprint)
        trainer.listeners = [folder] + listeners
        let result = try trainer.run(resume: checkpoint, timing: checkpoint == nil ? nil : layout.readTiming())
        if let failure = folder.failure { throw RunWriteFailure(path: layout.path, message: failure) }
        return .trained(result)
    }
}

/// A run folder that could not be written (disk full, permissions): a failure, not bad input.
public struct RunWriteFailure: Error, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): writing the run's files failed: \(message)" }
}
