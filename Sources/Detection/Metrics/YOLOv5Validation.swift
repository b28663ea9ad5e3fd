/// YOLOv5's validation figures for a set of images: what `val.py` prints and what `fitness` ranks.
public struct YOLOv5Metrics: Sendable {
    /// Images evaluated (val.py's `seen`).
    public var images: Int
    /// Labels per class id, `0..<classCount` (val.py's `nt`).
    public var instances: [Int]
    /// Per-class results and curves; nil when there are no labels at all.
    public var perClass: APPerClassResult?
    /// Means over the classes that have labels (0 when no prediction is a true positive).
    public var precision: Double
    public var recall: Double
    public var map50: Double
    public var map50to95: Double
    /// 0.1 · mAP@0.5 + 0.9 · mAP@0.5:0.95.
    public var fitness: Double
    /// Built with YOLOv5's settings (confidence 0.25, IoU 0.45).
    public var confusionMatrix: ConfusionMatrix
}

/// Runs YOLOv5 v7.0's validation metrics over images whose boxes are already final predictions
/// (after NMS): per image, `matchPredictions` at IoU 0.50:0.95 on pixel boxes and the confusion
/// matrix; over all images, `apPerClass`. Images with neither labels nor predictions add nothing
/// but their count; predictions of classes without labels are ignored by `apPerClass`.
// yolov5 v7.0 val.py run: the "Metrics" loop and "Compute metrics"
public func yolov5Evaluate(_ images: [AnnotatedImage], classCount: Int) -> YOLOv5Metrics {
    var correct = TruePositives(thresholdCount: yoloIoUThresholds.count)
    var confidence: [Float] = []
    var predictedClass: [Int] = []
    var targetClass: [Int] = []
    var confusion = ConfusionMatrix(classCount: classCount)
    for image in images {
        let labels = image.pixelLabels
        let predictions = image.pixelPredictions
        if predictions.isEmpty {
            if !labels.isEmpty {
                targetClass += labels.map(\.classID)
                confusion.add(predictions: [], labels: labels)
            }
            continue
        }
        if labels.isEmpty {
            correct.append(TruePositives(predictions: predictions.count, thresholdCount: yoloIoUThresholds.count))
        } else {
            correct.append(matchPredictions(predictions, to: labels))
            confusion.add(predictions: predictions, labels: labels)
        }
        confidence += predictions.map(\.confidence)
        predictedClass += predictions.map(\.classID)
        targetClass += labels.map(\.classID)
    }

    var instances = [Int](repeating: 0, count: classCount)
    for c in targetClass where c >= 0 && c < classCount { instances[c] += 1 }
    var metrics = YOLOv5Metrics(
        images: images.count, instances: instances, perClass: nil, precision: 0, recall: 0,
        map50: 0, map50to95: 0, fitness: 0, confusionMatrix: confusion)
    guard !targetClass.isEmpty else { return metrics }
    let result = apPerClass(
        truePositives: correct, confidence: confidence, predictedClass: predictedClass,
        targetClass: targetClass)
    metrics.perClass = result
    if correct.any {
        metrics.precision = mean(result.precision)
        metrics.recall = mean(result.recall)
        metrics.map50 = mean(result.ap50)
        metrics.map50to95 = mean(result.ap50to95)
        metrics.fitness = fitness(
            precision: metrics.precision, recall: metrics.recall, map50: metrics.map50,
            map50to95: metrics.map50to95)
    }
    return metrics
}

func mean(_ values: [Double]) -> Double {
    values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
}
