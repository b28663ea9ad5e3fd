/// summary.json: what a trained cell is — model, cost, recipe — and how well it did. The same
/// bytes on every machine and thread count: the run's timings are in timing.json and its latency
/// in latency.json.
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
    /// The epoch with the best fitness, and its row.
    public var bestEpoch: Int
    public var best: EpochResult
    public var final: EpochResult
    public var datasetFingerprint: String
    public var anchors: [[Double]]
    /// The hyperparameters the run used (hyp.yaml keys), after overrides.
    public var hyp: [String: Double]
    public var optimizer: String
    public var cosLR: Bool
    public var version: String

    public init(backbone: String, neck: String, classes: Int, imageSize: Int, seed: UInt64, epochs: Int, epochsRun: Int,
                batch: Int, parameters: Int, gflops: Double, bestEpoch: Int,
                best: EpochResult, final: EpochResult, datasetFingerprint: String, anchors: [[Double]], hyp: [String: Double],
                optimizer: String, cosLR: Bool, version: String) {
        (self.backbone, self.neck, self.classes, self.imageSize, self.seed) = (backbone, neck, classes, imageSize, seed)
        (self.epochs, self.epochsRun, self.batch, self.parameters, self.gflops) = (epochs, epochsRun, batch, parameters, gflops)
        (self.bestEpoch, self.best, self.final) = (bestEpoch, best, final)
        (self.datasetFingerprint, self.anchors, self.hyp, self.optimizer, self.cosLR, self.version) =
            (datasetFingerprint, anchors, hyp, optimizer, cosLR, version)
    }
}
