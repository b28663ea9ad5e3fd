/// timing.json: how long a run took on the machine that trained it — a measurement, kept apart
/// from the results so that summary.json and the checkpoint are the same bytes on every machine.
///
/// Written after every epoch; a resumed run adds to it.
public struct RunTiming: Sendable, Equatable, Codable {
    /// Threads the training used (the last process's, for a resumed run).
    public var threads: Int
    /// Epochs timed so far.
    public var epochs: Int
    /// Seconds of training (data loading included, validation not) and the images trained in them.
    public var trainSeconds: Double
    public var trainImages: Int
    /// Seconds of validation, all epochs together.
    public var validationSeconds: Double
    /// Seconds from start to the last write, over every process that worked on the run.
    public var wallSeconds: Double
    /// CPU seconds the data loader's workers spent building training batches (decode, mosaic,
    /// perspective, HSV, flips), and seconds the training step waited for one. Nil in files
    /// written before they were measured.
    public var loaderSeconds: Double?
    public var dataWaitSeconds: Double?

    public init(threads: Int, epochs: Int, trainSeconds: Double, trainImages: Int, validationSeconds: Double, wallSeconds: Double,
                loaderSeconds: Double? = nil, dataWaitSeconds: Double? = nil) {
        (self.threads, self.epochs, self.trainSeconds, self.trainImages) = (threads, epochs, trainSeconds, trainImages)
        (self.validationSeconds, self.wallSeconds) = (validationSeconds, wallSeconds)
        (self.loaderSeconds, self.dataWaitSeconds) = (loaderSeconds, dataWaitSeconds)
    }

    /// Training images per second.
    public var imagesPerSecond: Double { trainSeconds > 0 ? Double(trainImages) / trainSeconds : 0 }
    /// Validation seconds per epoch.
    public var validationSecondsPerEpoch: Double { validationSeconds / Double(max(epochs, 1)) }
}
