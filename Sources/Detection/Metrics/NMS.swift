/// Settings of non-maximum suppression, with YOLOv5 v7.0's defaults for `detect.py`.
public struct NMSOptions: Sendable, Equatable {
    /// Candidates with confidence at or below this are dropped (val.py uses 0.001).
    public var confidenceThreshold: Float
    /// A box is suppressed when its IoU with a kept box of the same class is above this.
    public var iouThreshold: Float
    /// At most this many boxes are kept, the most confident.
    public var maxDetections: Int
    /// Only the this many most confident candidates enter suppression (YOLOv5's `max_nms`).
    public var maxCandidates: Int
    /// Suppress across classes too.
    public var classAgnostic: Bool

    public init(
        confidenceThreshold: Float = 0.25, iouThreshold: Float = 0.45, maxDetections: Int = 1000,
        maxCandidates: Int = 30000, classAgnostic: Bool = false
    ) {
        self.confidenceThreshold = confidenceThreshold
        self.iouThreshold = iouThreshold
        self.maxDetections = maxDetections
        self.maxCandidates = maxCandidates
        self.classAgnostic = classAgnostic
    }

    /// val.py's settings: confidence 0.001, IoU 0.6, 300 detections.
    public static let validation = NMSOptions(confidenceThreshold: 0.001, iouThreshold: 0.6, maxDetections: 300)
}

/// Class-aware greedy non-maximum suppression, as YOLOv5 runs torchvision's `nms` on boxes offset
/// by class: candidates above the confidence threshold, most confident first (ties in input order),
/// each kept unless its IoU (torchvision's, without eps) with a kept box of its class exceeds the
/// threshold. Returns the kept boxes, most confident first.
///
/// Each candidate is compared only with the boxes already kept in its class, and the loop stops
/// once `maxDetections` are kept, so thousands of candidates take milliseconds.
// yolov5 v7.0 utils/general.py non_max_suppression; torchvision csrc/ops/cpu/nms_kernel.cpp
public func nonMaxSuppression(_ candidates: [PredictedBox], options: NMSOptions = NMSOptions()) -> [PredictedBox] {
    var order = candidates.indices.filter { candidates[$0].confidence > options.confidenceThreshold }
    order.sort { a, b in
        candidates[a].confidence > candidates[b].confidence
            || (candidates[a].confidence == candidates[b].confidence && a < b)
    }
    if order.count > options.maxCandidates { order.removeLast(order.count - options.maxCandidates) }

    var kept: [PredictedBox] = []
    // Kept boxes and their areas, per class (one group when class-agnostic).
    var groupOf: [Int: Int] = [:]
    var boxes: [[PixelBox]] = []
    var areas: [[Float]] = []
    for i in order {
        if kept.count >= options.maxDetections { break }
        let candidate = candidates[i]
        let key = options.classAgnostic ? 0 : candidate.classID
        let g: Int
        if let existing = groupOf[key] {
            g = existing
        } else {
            g = boxes.count
            groupOf[key] = g
            boxes.append([])
            areas.append([])
        }
        let box = candidate.box
        let area = box.area
        if isSuppressed(box, area: area, by: boxes[g], areas: areas[g], threshold: options.iouThreshold) { continue }
        boxes[g].append(box)
        areas[g].append(area)
        kept.append(candidate)
    }
    return kept
}

/// Whether `box` overlaps one of `kept` by more than `threshold` (torchvision's IoU, no eps).
private func isSuppressed(_ box: PixelBox, area: Float, by kept: [PixelBox], areas: [Float], threshold: Float) -> Bool {
    for (k, other) in kept.enumerated() {
        let w = min(box.x2, other.x2) - max(box.x1, other.x1)
        if w <= 0 { continue }
        let h = min(box.y2, other.y2) - max(box.y1, other.y1)
        if h <= 0 { continue }
        let inter = w * h
        if inter / (areas[k] + area - inter) > threshold { return true }
    }
    return false
}
