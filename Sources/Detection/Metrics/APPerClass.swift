import Engine

/// What YOLOv5 v7.0's `ap_per_class` returns, plus the curves it would plot.
///
/// Rows are the classes that have labels (`classes`, ascending); predictions of other classes
/// are ignored, as in YOLOv5. Precision, recall and F1 are read at one confidence for all
/// classes: the one that maximises the smoothed mean F1 (`bestConfidence`).
public struct APPerClassResult: Sendable {
    /// The classes that have labels, ascending (YOLOv5's `unique_classes`).
    public var classes: [Int]
    /// Labels of each class (YOLOv5's `nt`).
    public var instances: [Int]
    /// Per class, at `bestConfidence`.
    public var precision: [Double]
    public var recall: [Double]
    public var f1: [Double]
    /// True and false positives per class at `bestConfidence`, estimated from P and R and rounded
    /// as YOLOv5 does: `tp = round(r * nt)`, `fp = round(tp / (p + eps) - tp)`.
    public var truePositives: [Double]
    public var falsePositives: [Double]
    /// `ap[class][threshold]`: AP at each IoU threshold (0.50, 0.55, ..., 0.95).
    public var ap: [[Double]]
    /// The confidence at which `precision`, `recall` and `f1` are read.
    public var bestConfidence: Double
    /// P, R, F1 against confidence and the PR curve, per class and over all classes.
    public var curves: MetricCurves

    /// AP at IoU 0.5, per class.
    public var ap50: [Double] { ap.map { $0.first ?? 0 } }
    /// AP averaged over the IoU thresholds 0.5:0.95, per class.
    public var ap50to95: [Double] { ap.map { $0.isEmpty ? 0 : $0.reduce(0, +) / Double($0.count) } }
}

/// The curves YOLOv5 plots from `ap_per_class` (P_curve, R_curve, F1_curve, PR_curve), as numbers.
public struct MetricCurves: Sendable, Codable, Equatable {
    /// The x grid: 1000 points from 0 to 1 (confidence for P/R/F1, recall for the PR curve).
    public var grid: [Double]
    /// The classes of `precision`, `recall` and `f1` rows: those with labels.
    public var classes: [Int]
    /// `precision[class][k]`: precision at confidence `grid[k]` (1 above the highest prediction).
    public var precision: [[Double]]
    /// `recall[class][k]`: recall at confidence `grid[k]`.
    public var recall: [[Double]]
    /// `f1[class][k]`: F1 at confidence `grid[k]`.
    public var f1: [[Double]]
    /// The classes that have both labels and predictions, which are those with a PR curve.
    public var prClasses: [Int]
    /// `pr[class][k]`: interpolated precision at recall `grid[k]`, IoU 0.5, for each of `prClasses`.
    public var pr: [[Double]]

    /// Mean over classes of each curve, as YOLOv5's "all classes" line.
    public var meanPrecision: [Double] { Self.mean(precision, count: grid.count) }
    public var meanRecall: [Double] { Self.mean(recall, count: grid.count) }
    public var meanF1: [Double] { Self.mean(f1, count: grid.count) }
    public var meanPR: [Double] { Self.mean(pr, count: grid.count) }

    static func mean(_ rows: [[Double]], count: Int) -> [Double] {
        var sum = [Double](repeating: 0, count: count)
        for row in rows {
            for k in 0..<count { sum[k] += row[k] }
        }
        let n = Double(rows.count)
        return rows.isEmpty ? sum : sum.map { $0 / n }
    }
}

/// YOLOv5 v7.0's `ap_per_class`: per-class AP at each IoU threshold by 101-point interpolation
/// (so a perfect detector scores 0.995, not 1), and P, R, F1 at the confidence that maximises
/// the mean F1 over classes smoothed by a box filter of 10%.
///
/// - Parameters:
///   - truePositives: one row per prediction (`matchPredictions`), one column per IoU threshold.
///   - confidence: one per prediction.
///   - predictedClass: one per prediction.
///   - targetClass: the class of every label.
///
/// Predictions are ranked by confidence, highest first; equal confidences keep their input order
/// (NumPy's unstable `argsort` leaves that order to the machine, so YOLOv5 itself is not
/// repeatable there).
// yolov5 v7.0 utils/metrics.py ap_per_class
public func apPerClass(
    truePositives tp: TruePositives, confidence: [Float], predictedClass: [Int], targetClass: [Int]
) -> APPerClassResult {
    require(
        tp.predictionCount == confidence.count && confidence.count == predictedClass.count,
        "apPerClass: one row, confidence and class per prediction")
    let eps = 1e-16
    let thresholds = tp.thresholdCount
    let order = confidence.indices.sorted { a, b in
        confidence[a] > confidence[b] || (confidence[a] == confidence[b] && a < b)
    }

    // Unique label classes and their counts.
    var counts: [Int: Int] = [:]
    for c in targetClass { counts[c, default: 0] += 1 }
    let classes = counts.keys.sorted()
    let instances = classes.map { counts[$0] ?? 0 }
    var row: [Int: Int] = [:]
    for (ci, c) in classes.enumerated() { row[c] = ci }

    // Each class's predictions, in rank order.
    var members = [[Int]](repeating: [], count: classes.count)
    for i in order {
        if let ci = row[predictedClass[i]] { members[ci].append(i) }
    }

    let px = NumPy.linspace(0, 1, 1000)
    let zeros = [Double](repeating: 0, count: px.count)
    var p = [[Double]](repeating: zeros, count: classes.count)
    var r = p
    var ap = [[Double]](repeating: [Double](repeating: 0, count: thresholds), count: classes.count)
    var prClasses: [Int] = []
    var pr: [[Double]] = []

    for (ci, idx) in members.enumerated() where !idx.isEmpty && instances[ci] > 0 {
        let nl = Double(instances[ci])
        let negConf = idx.map { -Double(confidence[$0]) }
        var recall = [[Double]](repeating: [Double](repeating: 0, count: idx.count), count: thresholds)
        var precision = recall
        for j in 0..<thresholds {
            var tpc = 0
            var fpc = 0
            for (k, i) in idx.enumerated() {
                if tp[i, j] { tpc += 1 } else { fpc += 1 }
                recall[j][k] = Double(tpc) / (nl + eps)
                precision[j][k] = Double(tpc) / Double(tpc + fpc)
            }
        }
        if thresholds > 0 {
            negConf.withUnsafeBufferPointer { xp in
                recall[0].withUnsafeBufferPointer { rc in
                    precision[0].withUnsafeBufferPointer { pc in
                        for k in px.indices {
                            r[ci][k] = NumPy.interp(-px[k], xp, rc, left: 0, right: rc[rc.count - 1])
                            p[ci][k] = NumPy.interp(-px[k], xp, pc, left: 1, right: pc[pc.count - 1])
                        }
                    }
                }
            }
        }
        for j in 0..<thresholds {
            let (value, mpre, mrec) = computeAP(recall: recall[j], precision: precision[j])
            ap[ci][j] = value
            if j == 0 {
                prClasses.append(classes[ci])
                pr.append(NumPy.interp(px, mrec, mpre))
            }
        }
    }

    var f1 = p
    for ci in classes.indices {
        for k in px.indices { f1[ci][k] = 2 * p[ci][k] * r[ci][k] / (p[ci][k] + r[ci][k] + eps) }
    }
    let best = classes.isEmpty ? 0 : argmax(smooth(MetricCurves.mean(f1, count: px.count), fraction: 0.1))
    let precisionAtBest = p.map { $0[best] }
    let recallAtBest = r.map { $0[best] }
    let truePositives = zip(recallAtBest, instances).map { ($0 * Double($1)).rounded(.toNearestOrEven) }
    let falsePositives = zip(truePositives, precisionAtBest).map { tp, p in
        (tp / (p + eps) - tp).rounded(.toNearestOrEven)
    }
    return APPerClassResult(
        classes: classes, instances: instances, precision: precisionAtBest, recall: recallAtBest,
        f1: f1.map { $0[best] }, truePositives: truePositives, falsePositives: falsePositives, ap: ap,
        bestConfidence: px[best],
        curves: MetricCurves(
            grid: px, classes: classes, precision: p, recall: r, f1: f1,
            prClasses: prClasses, pr: pr))
}

/// Average precision from one recall/precision curve: sentinels (recall 0 → precision 1, recall 1 →
/// precision 0), the precision envelope, then the trapezoidal rule over 101 recall points.
/// Returns AP and the envelope (`mpre`) over the extended recall (`mrec`).
// yolov5 v7.0 utils/metrics.py compute_ap (method 'interp')
public func computeAP(recall: [Double], precision: [Double]) -> (ap: Double, mpre: [Double], mrec: [Double]) {
    let mrec = [0.0] + recall + [1.0]
    var mpre = [1.0] + precision + [0.0]
    for i in stride(from: mpre.count - 2, through: 0, by: -1) where mpre[i + 1] > mpre[i] {
        mpre[i] = mpre[i + 1]
    }
    let x = NumPy.linspace(0, 1, 101)
    return (NumPy.trapz(NumPy.interp(x, mrec, mpre), x), mpre, mrec)
}

/// YOLOv5's `smooth(y, f)`: a box filter over a fraction `f` of the points, edges padded with the
/// end values.
// yolov5 v7.0 utils/metrics.py smooth
func smooth(_ y: [Double], fraction f: Double) -> [Double] {
    guard let first = y.first, let last = y.last else { return y }
    let nf = Int((Double(y.count) * f * 2).rounded(.toNearestOrEven)) / 2 + 1
    let padded = [Double](repeating: first, count: nf / 2) + y + [Double](repeating: last, count: nf / 2)
    let weight = 1.0 / Double(nf)
    return (0..<(padded.count - nf + 1)).map { start in
        var sum = 0.0
        for m in 0..<nf { sum += padded[start + m] * weight }
        return sum
    }
}

/// The index of the first largest value, as `np.argmax`.
func argmax(_ values: [Double]) -> Int {
    var best = 0
    for i in values.indices where values[i] > values[best] { best = i }
    return best
}
