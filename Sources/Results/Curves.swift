/// curves.json: the final epoch's validation curves and per-class figures — what the report's
/// per-cell charts draw (PR curve, P/R/F1 against confidence, confusion matrix).
public struct Curves: Sendable, Equatable, Codable {
    public var names: [String]
    /// Confidence grid (1000 points, 0...1) of the P, R, F1 curves.
    public var confidence: [Double]
    /// Per class with labels (`classes`), then `all` as the mean over them.
    public var classes: [Int]
    public var precision: [[Double]], recall: [[Double]], f1: [[Double]]
    public var precisionAll: [Double], recallAll: [Double], f1All: [Double]
    /// Recall grid (1000 points) and precision along it, per class and mean.
    public var prRecall: [Double]
    public var pr: [[Double]]
    public var prAll: [Double]
    /// Per class: labels, AP@0.5, AP@0.5:0.95, P and R at the chosen confidence.
    public var instances: [Int]
    public var ap50: [Double], ap50to95: [Double]
    public var classPrecision: [Double], classRecall: [Double]
    /// The confidence where the mean F1 peaks (where P and R are read).
    public var bestConfidence: Double
    /// YOLOv5's confusion matrix (conf 0.25, IoU 0.45): (nc + 1)², rows predicted, columns true,
    /// the last row and column the background.
    public var confusion: [[Int]]

    public init(names: [String], confidence: [Double], classes: [Int], precision: [[Double]], recall: [[Double]],
                f1: [[Double]], precisionAll: [Double], recallAll: [Double], f1All: [Double], prRecall: [Double],
                pr: [[Double]], prAll: [Double], instances: [Int], ap50: [Double], ap50to95: [Double],
                classPrecision: [Double], classRecall: [Double], bestConfidence: Double, confusion: [[Int]]) {
        (self.names, self.confidence, self.classes) = (names, confidence, classes)
        (self.precision, self.recall, self.f1) = (precision, recall, f1)
        (self.precisionAll, self.recallAll, self.f1All) = (precisionAll, recallAll, f1All)
        (self.prRecall, self.pr, self.prAll) = (prRecall, pr, prAll)
        (self.instances, self.ap50, self.ap50to95) = (instances, ap50, ap50to95)
        (self.classPrecision, self.classRecall, self.bestConfidence, self.confusion) = (classPrecision, classRecall, bestConfidence, confusion)
    }
}
