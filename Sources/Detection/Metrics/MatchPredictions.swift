import Engine

/// A predicted box in pixels with its confidence and class, as YOLOv5's NMS hands it to the metrics.
public struct PredictedBox: Sendable, Equatable {
    public var box: PixelBox
    public var confidence: Float
    public var classID: Int

    public init(box: PixelBox, confidence: Float, classID: Int) {
        self.box = box
        self.confidence = confidence
        self.classID = classID
    }
}

/// A ground-truth box in pixels with its class.
public struct LabeledBox: Sendable, Equatable {
    public var box: PixelBox
    public var classID: Int

    public init(box: PixelBox, classID: Int) {
        self.box = box
        self.classID = classID
    }
}

/// YOLOv5's ten IoU thresholds 0.50:0.05:0.95 in Float32, computed as `torch.linspace(0.5, 0.95, 10)`
/// computes them (from both ends towards the middle), so `iou >= threshold` decides as YOLOv5 does.
public let yoloIoUThresholds: [Float] = {
    // torch aten/src/ATen/native/cpu/RangeFactoriesKernel.cpp linspace_kernel
    let start: Float = 0.5
    let end: Float = 0.95
    let steps = 10
    let step = (end - start) / Float(steps - 1)
    return (0..<steps).map { i in
        i < steps / 2 ? start + step * Float(i) : end - step * Float(steps - i - 1)
    }
}()

/// Which predictions are true positives at each IoU threshold: YOLOv5's `correct` matrix,
/// one row per prediction, one column per threshold.
public struct TruePositives: Sendable, Equatable {
    /// Columns: the number of IoU thresholds.
    public let thresholdCount: Int
    /// Row-major flags, `predictionCount * thresholdCount` of them.
    public private(set) var flags: [Bool]

    /// An empty matrix (no predictions) with `thresholdCount` columns.
    public init(thresholdCount: Int) {
        self.thresholdCount = thresholdCount
        self.flags = []
    }

    /// All-false rows for `predictions` predictions.
    public init(predictions: Int, thresholdCount: Int) {
        self.thresholdCount = thresholdCount
        self.flags = [Bool](repeating: false, count: predictions * thresholdCount)
    }

    /// The number of predictions (rows).
    public var predictionCount: Int { thresholdCount == 0 ? 0 : flags.count / thresholdCount }

    public subscript(prediction: Int, threshold: Int) -> Bool {
        get { flags[prediction * thresholdCount + threshold] }
        set { flags[prediction * thresholdCount + threshold] = newValue }
    }

    /// Appends the rows of `other`, which must have as many columns.
    public mutating func append(_ other: TruePositives) {
        require(other.thresholdCount == thresholdCount, "TruePositives: column counts differ")
        flags.append(contentsOf: other.flags)
    }

    /// Whether any prediction is a true positive at any threshold (val.py's `stats[0].any()`).
    public var any: Bool { flags.contains(true) }
}

/// Matches predictions to labels at each IoU threshold exactly as YOLOv5 v7.0's `process_batch`:
/// a pair qualifies when the classes agree and `iou >= threshold`; each prediction keeps its
/// highest-IoU label, then each label keeps the lowest-index prediction among those that chose it.
/// Predictions come in YOLOv5's order (its NMS sorts them by confidence, highest first), so the
/// lowest index is the most confident. A prediction whose chosen label went to another prediction
/// stays a false positive even if a second label would have fit: that is YOLOv5's rule.
///
/// Equal IoUs for one prediction go to the label with the higher index, which is what
/// `argsort()[::-1]` gives when the sort keeps ties in order.
// yolov5 v7.0 val.py process_batch
public func matchPredictions(
    _ predictions: [PredictedBox], to labels: [LabeledBox], iouThresholds: [Float] = yoloIoUThresholds
) -> TruePositives {
    var correct = TruePositives(predictions: predictions.count, thresholdCount: iouThresholds.count)
    if predictions.isEmpty || labels.isEmpty { return correct }
    let n = predictions.count
    // IoU of each label with each prediction, or -1 where the classes differ.
    var iou = [Float](repeating: -1, count: labels.count * n)
    for (l, label) in labels.enumerated() {
        for (d, prediction) in predictions.enumerated() where prediction.classID == label.classID {
            iou[l * n + d] = boxIoU(label.box, prediction.box)
        }
    }
    var chosenLabel = [Int](repeating: -1, count: n)
    var labelTaken = [Bool](repeating: false, count: labels.count)
    for (t, threshold) in iouThresholds.enumerated() {
        // Each prediction's best qualifying label (later label wins a tie).
        for d in 0..<n {
            var best = -1
            var bestIoU: Float = 0
            for l in 0..<labels.count {
                let value = iou[l * n + d]
                if value >= threshold && (best < 0 || value >= bestIoU) {
                    best = l
                    bestIoU = value
                }
            }
            chosenLabel[d] = best
        }
        // Each label goes to the first prediction that chose it.
        for l in labelTaken.indices { labelTaken[l] = false }
        for d in 0..<n {
            let l = chosenLabel[d]
            if l >= 0 && !labelTaken[l] {
                labelTaken[l] = true
                correct[d, t] = true
            }
        }
    }
    return correct
}
