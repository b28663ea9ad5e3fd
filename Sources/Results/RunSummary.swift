/// summary.json: what a trained cell is — model, cost, recipe — and how well it did.
public struct RunSummary: Sendable, Equatable, Codable {
    public var backbone: String
    public var neck: String
    public var classes: Int
    public var imageSize: Int
    public var seed: UInt64
    public var epochs: Int
    /// Epochs run (fewer than `epochs` after early stopping).
    public var epochsRun: Int
    public var batch: Int
    public var parameters: Int
    public var gflops: Double
    /// Batch-1 inference of the fused model on the engine, median milliseconds.
    public var latencyMs: Double
    public var threads: Int
    /// The epoch with the best fitness, and its row.
    public var bestEpoch: Int
    public var best: EpochResult
    public var final: EpochResult
    /// Training images per second over the whole run (data loading included, validation not).
    public var imagesPerSecond: Double
    /// Seconds of validation per epoch, on average.
    public var validationSeconds: Double
    public var wallSeconds: Double
    public var datasetFingerprint: String
    public var anchors: [[Double]]
    /// The hyperparameters the run used (hyp.yaml keys), after overrides.
    public var hyp: [String: Double]
    public var optimizer: String
    public var cosLR: Bool
    public var version: String

    public init(backbone: String, neck: String, classes: Int, imageSize: Int, seed: UInt64, epochs: Int, epochsRun: Int,
                batch: Int, parameters: Int, gflops: Double, latencyMs: Double, threads: Int, bestEpoch: Int,
                best: EpochResult, final: EpochResult, imagesPerSecond: Double, validationSeconds: Double,
                wallSeconds: Double, datasetFingerprint: String, anchors: [[Double]], hyp: [String: Double],
                optimizer: String, cosLR: Bool, version: String) {
        (self.backbone, self.neck, self.classes, self.imageSize, self.seed) = (backbone, neck, classes, imageSize, seed)
        (self.epochs, self.epochsRun, self.batch, self.parameters, self.gflops) = (epochs, epochsRun, batch, parameters, gflops)
        (self.latencyMs, self.threads, self.bestEpoch, self.best, self.final) = (latencyMs, threads, bestEpoch, best, final)
        (self.imagesPerSecond, self.validationSeconds, self.wallSeconds) = (imagesPerSecond, validationSeconds, wallSeconds)
        (self.datasetFingerprint, self.anchors, self.hyp, self.optimizer, self.cosLR, self.version) =
            (datasetFingerprint, anchors, hyp, optimizer, cosLR, version)
    }
}
