import Detection
import Results
import Zoo

/// What the trainer tells its listeners (console, log file, run folder), in order.
public enum TrainingEvent {
    /// A line for the log: dataset, cache, AutoAnchor, optimizer, resume.
    case message(String)
    case epochStarted(epoch: Int, epochs: Int, batches: Int)
    case batchEnded(BatchProgress)
    case validationProgress(done: Int, total: Int)
    case epochEnded(EpochReport)
    /// Asked to stop, the run stopped inside an epoch right after an optimiser step: the state to
    /// continue from there, and the timings so far.
    case stopped(checkpoint: Checkpoint, timing: RunTiming)
    /// The run is done: its results and measurements, and why it stopped.
    case finished(TrainedRun, reason: String)
}

/// The state of an epoch after a batch, as YOLOv5's progress bar shows it.
public struct BatchProgress: Sendable {
    public var epoch: Int, epochs: Int
    public var batch: Int, batches: Int
    /// Running means of the box, objectness and class losses this epoch.
    public var box: Double, obj: Double, cls: Double
    public var instances: Int
    public var size: Int
    /// Seconds since the epoch started and images trained in them.
    public var seconds: Double
    public var images: Int
    public var residentBytes: Int
}

/// An epoch's end: its results row and everything the run folder saves.
public struct EpochReport {
    public var row: EpochResult
    public var metrics: YOLOv5Metrics
    public var names: [String]
    public var fitness: Double
    public var isBest: Bool
    public var trainSeconds: Double
    public var validationSeconds: Double
    public var trainImages: Int
    /// The EMA model that was validated: saved as last (and best) weights.
    public var weights: Detector
    /// The state after this epoch, written last so a kill leaves the previous epoch intact.
    public var checkpoint: Checkpoint
    /// The run's timings up to this epoch (timing.json).
    public var timing: RunTiming
    /// Every row so far (results.csv).
    public var rows: [EpochResult]
    /// The first validation images with this epoch's detections, when the epoch is the best so far.
    public var gallery: [GallerySample]
}

/// Receives the trainer's events; logging, checkpoints and progress are separate listeners.
public protocol TrainingListener: AnyObject {
    func handle(_ event: TrainingEvent)
}
