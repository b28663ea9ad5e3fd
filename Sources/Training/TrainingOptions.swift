import Detection
import Engine
import Foundation
import Results
import Zoo

/// Everything that defines a training run: the same options give the same bits.
public struct TrainingOptions: Sendable {
    public var spec: DetectorSpec
    public var epochs = 30
    public var batch = 16
    /// The nominal batch: gradients accumulate over about nbs / batch batches per optimiser step,
    /// and weight decay scales by batch × accumulate / nbs (train.py hard-codes nbs = 64).
    public var nominalBatch = 64
    /// Warm-up lasts max(warmup_epochs × batches per epoch, this) iterations (train.py: 100).
    public var minWarmupIterations = 100
    public var imageSize = 160
    public var seed: UInt64 = 0
    public var hyp = Hyperparameters()
    public var cosLR = false
    public var patience = 100
    public var optimizer: OptimizerKind = .sgd
    public var output: String
    /// Loader threads building batches beside the engine.
    public var workers = 1
    /// The backbone's published ImageNet weights to start from (nil: from scratch, as before).
    public var pretrained: PretrainedWeights.Source?
    /// A YOLOv5 checkpoint the whole detector starts from (train.py's --weights).
    public var yolov5Weights: WeightsFile?
    /// The first layers that do not train (train.py's --freeze; 0: none).
    public var freeze = 0

    public enum OptimizerKind: String, Sendable, CaseIterable { case sgd = "SGD", adamW = "AdamW" }

    public init(spec: DetectorSpec, output: String) { (self.spec, self.output) = (spec, output) }

    /// A digest of everything that changes the numbers (not the output folder or thread count),
    /// stored in the checkpoint so a folder is never resumed by a different run.
    public func identity(datasetFingerprint: String) -> String {
        var text = "\(spec)|nc=\(spec.classes)|e=\(epochs)|b=\(batch)|s=\(imageSize)|seed=\(seed)|cos=\(cosLR)|p=\(patience)|o=\(optimizer.rawValue)|data=\(datasetFingerprint)"
        for key in Hyperparameters.Key.allCases { text += "|\(key.rawValue)=\(hyp[key])" }
        // absent at YOLOv5's values: runs from before these keys existed keep their identity
        if nominalBatch != 64 { text += "|nbs=\(nominalBatch)" }
        if minWarmupIterations != 100 { text += "|nw=\(minWarmupIterations)" }
        if let pretrained { text += "|pretrained=\(pretrained.sha256)" }
        if let yolov5Weights { text += "|weights=\(yolov5Weights.sha256)" }
        if freeze > 0 { text += "|freeze=\(freeze)" }
        return SHA256.hex(Array(text.utf8))
    }

    /// What differs from another run, in words, for the error on a folder of another run.
    public var description: String {
        "\(spec.backbone) + \(spec.neck), \(epochs) epochs, batch \(batch), \(imageSize) px, seed \(seed)"
    }
}
