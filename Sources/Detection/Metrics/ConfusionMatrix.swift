/// YOLOv5 v7.0's detection confusion matrix: `counts[predicted][true]`, `classCount + 1` square,
/// the last row and column being background.
///
/// Predictions count when their confidence is above 0.25 and match a label (of any class) when
/// their IoU is above 0.45. YOLOv5's quirks are kept: images without labels add nothing (val.py
/// only calls it when an image has labels), and unmatched predictions count as background only
/// when the image has at least one match.
// yolov5 v7.0 utils/metrics.py ConfusionMatrix
public struct ConfusionMatrix: Sendable, Equatable {
    public let classCount: Int
    public let confidenceThreshold: Float
    public let iouThreshold: Float
    /// `counts[predicted][true]`; index `classCount` is background.
    public private(set) var counts: [[Int]]

    public init(classCount: Int, confidenceThreshold: Float = 0.25, iouThreshold: Float = 0.45) {
        self.classCount = classCount
        self.confidenceThreshold = confidenceThreshold
        self.iouThreshold = iouThreshold
        self.counts = [[Int]](repeating: [Int](repeating: 0, count: classCount + 1), count: classCount + 1)
    }

    /// Adds one image. Class ids must lie in `0..<classCount`.
    // yolov5 v7.0 utils/metrics.py ConfusionMatrix.process_batch
    public mutating func add(predictions allPredictions: [PredictedBox], labels: [LabeledBox]) {
        let background = classCount
        if allPredictions.isEmpty {
            for label in labels { counts[background][label.classID] += 1 }
            return
        }
        let predictions = allPredictions.filter { $0.confidence > confidenceThreshold }
        // Pairs (label, prediction, iou) with iou above the threshold, in row-major order.
        var matches: [(label: Int, prediction: Int, iou: Float)] = []
        for (l, label) in labels.enumerated() {
            for (d, prediction) in predictions.enumerated() {
                let iou = boxIoU(label.box, prediction.box)
                if iou > iouThreshold { matches.append((l, d, iou)) }
            }
        }
        if matches.count > 1 {
            matches = Self.firstPer(Self.byIoUDescending(matches)) { $0.prediction }
            matches = Self.firstPer(Self.byIoUDescending(matches)) { $0.label }
        }
        let matched = !matches.isEmpty
        for (l, label) in labels.enumerated() {
            let hits = matches.filter { $0.label == l }
            if matched && hits.count == 1, let hit = hits.first {
                counts[predictions[hit.prediction].classID][label.classID] += 1
            } else {
                counts[background][label.classID] += 1
            }
        }
        if matched {
            for (d, prediction) in predictions.enumerated() where !matches.contains(where: { $0.prediction == d }) {
                counts[prediction.classID][background] += 1
            }
        }
    }

    /// `matches[matches[:, 2].argsort()[::-1]]`: highest IoU first, ties in reverse input order.
    private static func byIoUDescending(
        _ matches: [(label: Int, prediction: Int, iou: Float)]
    ) -> [(label: Int, prediction: Int, iou: Float)] {
        let ascending = matches.indices.sorted { a, b in
            matches[a].iou < matches[b].iou || (matches[a].iou == matches[b].iou && a < b)
        }
        return ascending.reversed().map { matches[$0] }
    }

    /// `matches[np.unique(key, return_index=True)[1]]`: the first match of each key, by key.
    private static func firstPer(
        _ matches: [(label: Int, prediction: Int, iou: Float)],
        key: (((label: Int, prediction: Int, iou: Float))) -> Int
    ) -> [(label: Int, prediction: Int, iou: Float)] {
        var first: [Int: Int] = [:]
        for (i, match) in matches.enumerated() where first[key(match)] == nil { first[key(match)] = i }
        return first.keys.sorted().compactMap { first[$0].map { matches[$0] } }
    }
}
