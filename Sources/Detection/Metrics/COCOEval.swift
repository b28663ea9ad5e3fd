/// A ground-truth box for the COCO protocol (never a crowd box).
public struct COCOGroundTruth: Sendable, Equatable {
    public var classID: Int
    public var box: COCOBox

    public init(classID: Int, box: COCOBox) {
        self.classID = classID
        self.box = box
    }
}

/// A detection for the COCO protocol.
public struct COCODetection: Sendable, Equatable {
    public var classID: Int
    public var box: COCOBox
    public var score: Double

    public init(classID: Int, box: COCOBox, score: Double) {
        self.classID = classID
        self.box = box
        self.score = score
    }
}

/// One image's ground truth and detections, in file order.
public struct COCOImageAnnotations: Sendable, Equatable {
    public var groundTruth: [COCOGroundTruth]
    public var detections: [COCODetection]

    public init(groundTruth: [COCOGroundTruth], detections: [COCODetection]) {
        self.groundTruth = groundTruth
        self.detections = detections
    }
}

/// The figures pycocotools' `COCOeval.summarize()` prints for boxes, area "all", 100 detections.
public struct COCOMetrics: Sendable, Equatable {
    /// AP at IoU 0.50:0.95 (stats[0]); -1 when no class has ground truth, as pycocotools.
    public var map50to95: Double
    /// AP at IoU 0.50 (stats[1]).
    public var map50: Double
    /// AP at IoU 0.75 (stats[2]).
    public var map75: Double
    /// AR at IoU 0.50:0.95 with at most 100 detections per image (stats[8]).
    public var mar100: Double
    /// The classes that have ground truth, ascending.
    public var perClass: [COCOClassMetrics]
}

/// One class's COCO figures.
public struct COCOClassMetrics: Sendable, Equatable {
    public var classID: Int
    /// Ground-truth boxes of this class.
    public var instances: Int
    public var ap50to95: Double
    public var ap50: Double
}

/// COCO's box evaluation as pycocotools' `COCOeval` (iouType "bbox") runs it, restricted to what
/// `summarize()` reports for area "all" and 100 detections: per image and class, detections sorted
/// by score (stable) and cut to 100; at each IoU threshold 0.50:0.05:0.95 each detection in turn
/// takes the unmatched ground truth of highest IoU (>= threshold; later boxes win ties); then per
/// class, precision at 101 recall points from the precision envelope, averaged over classes that
/// have ground truth. Images are taken in the order given (pycocotools: ascending image id).
// cocoapi PythonAPI/pycocotools/cocoeval.py evaluateImg + accumulate + summarize
public func cocoEvaluate(_ images: [COCOImageAnnotations], classCount: Int) -> COCOMetrics {
    let iouThresholds = NumPy.linspace(0.5, 0.95, 10)
    let recallThresholds = NumPy.linspace(0, 1, 101)
    let maxDetections = 100
    let t = iouThresholds.count

    // Per class, over images in order: detection scores, their matches as bits (one per IoU
    // threshold), and the number of ground-truth boxes.
    var scores = [[Double]](repeating: [], count: classCount)
    var matched = [[UInt16]](repeating: [], count: classCount)
    var instances = [Int](repeating: 0, count: classCount)
    var gtOfClass = [[Int]](repeating: [], count: classCount)
    var dtOfClass = [[Int]](repeating: [], count: classCount)
    var ious: [Double] = []
    var gtMatched: [UInt16] = []

    for image in images {
        var present: [Int] = []
        for (g, gt) in image.groundTruth.enumerated() where gt.classID >= 0 && gt.classID < classCount {
            if gtOfClass[gt.classID].isEmpty && dtOfClass[gt.classID].isEmpty { present.append(gt.classID) }
            gtOfClass[gt.classID].append(g)
        }
        for (d, dt) in image.detections.enumerated() where dt.classID >= 0 && dt.classID < classCount {
            if gtOfClass[dt.classID].isEmpty && dtOfClass[dt.classID].isEmpty { present.append(dt.classID) }
            dtOfClass[dt.classID].append(d)
        }
        for k in present {
            let gts = gtOfClass[k]
            var dts = dtOfClass[k]
            dts.sort { a, b in
                let sa = image.detections[a].score
                let sb = image.detections[b].score
                return sa > sb || (sa == sb && a < b)
            }
            if dts.count > maxDetections { dts.removeLast(dts.count - maxDetections) }
            instances[k] += gts.count

            let g = gts.count
            ious.removeAll(keepingCapacity: true)
            for d in dts {
                for j in gts {
                    ious.append(cocoIoU(detection: image.detections[d].box, groundTruth: image.groundTruth[j].box))
                }
            }
            gtMatched.removeAll(keepingCapacity: true)
            gtMatched.append(contentsOf: repeatElement(0, count: g))
            for (di, d) in dts.enumerated() {
                var bits: UInt16 = 0
                if g > 0 {
                    for ti in 0..<t {
                        var best = min(iouThresholds[ti], 1 - 1e-10)
                        var m = -1
                        for gi in 0..<g where gtMatched[gi] & (1 << ti) == 0 {
                            let value = ious[di * g + gi]
                            if value < best { continue }
                            best = value
                            m = gi
                        }
                        if m >= 0 {
                            gtMatched[m] |= 1 << ti
                            bits |= 1 << ti
                        }
                    }
                }
                scores[k].append(image.detections[d].score)
                matched[k].append(bits)
            }
            gtOfClass[k].removeAll(keepingCapacity: true)
            dtOfClass[k].removeAll(keepingCapacity: true)
        }
    }

    // accumulate: per class with ground truth, precision at each recall threshold.
    var perClass: [COCOClassMetrics] = []
    var precisionSum = [Double](repeating: 0, count: t)
    var recallSum = 0.0
    for k in 0..<classCount where instances[k] > 0 {
        let order = scores[k].indices.sorted { a, b in
            scores[k][a] > scores[k][b] || (scores[k][a] == scores[k][b] && a < b)
        }
        let npig = Double(instances[k])
        var classPrecision = [Double](repeating: 0, count: t)
        for ti in 0..<t {
            var tp = 0.0
            var fp = 0.0
            var rc = [Double]()
            var pr = [Double]()
            rc.reserveCapacity(order.count)
            pr.reserveCapacity(order.count)
            for i in order {
                if matched[k][i] & (1 << ti) != 0 { tp += 1 } else { fp += 1 }
                rc.append(tp / npig)
                pr.append(tp / (fp + tp + Double.ulpOfOne))
            }
            recallSum += rc.last ?? 0
            for i in stride(from: pr.count - 1, to: 0, by: -1) where pr[i] > pr[i - 1] { pr[i - 1] = pr[i] }
            // q[r] = pr[searchsorted(rc, r, 'left')], 0 past the end.
            var sum = 0.0
            var i = 0
            for threshold in recallThresholds {
                while i < rc.count && rc[i] < threshold { i += 1 }
                if i == rc.count { break }
                sum += pr[i]
            }
            classPrecision[ti] = sum / Double(recallThresholds.count)
            precisionSum[ti] += classPrecision[ti]
        }
        perClass.append(
            COCOClassMetrics(
                classID: k, instances: instances[k],
                ap50to95: classPrecision.reduce(0, +) / Double(t), ap50: classPrecision[0]))
    }
    if perClass.isEmpty {
        return COCOMetrics(map50to95: -1, map50: -1, map75: -1, mar100: -1, perClass: [])
    }
    let n = Double(perClass.count)
    let t75 = iouThresholds.firstIndex(of: 0.75) ?? 5
    return COCOMetrics(
        map50to95: precisionSum.reduce(0, +) / Double(t) / n, map50: precisionSum[0] / n,
        map75: precisionSum[t75] / n, mar100: recallSum / Double(t) / n, perClass: perClass)
}
