import Detection
import Engine
import Foundation
import Zoo

/// YOLOv5's validation as `train.py` runs `val.py` each epoch: rect batches of letterboxed images
/// (batch sorted by aspect ratio, shapes rounded up to the stride with pad 0.5), NMS at
/// confidence 0.001 and IoU 0.6 with up to 300 boxes, boxes scaled back to the original images,
/// YOLOv5's metrics, and the three losses on the raw predictions.
public final class Validator {
    public let store: ImageStore
    public let batchSize: Int
    /// Images in validation order (by aspect ratio) and each batch's letterboxed shape.
    public let order: [Int]
    public let batchShapes: [(h: Int, w: Int)]
    private var letterboxed: [Int: Letterboxed] = [:]
    private let lock = NSLock()

    /// Batches of `batchSize` (train.py passes twice the training batch), pad 0.5, stride 32.
    // yolov5 v7.0 utils/dataloaders.py LoadImagesAndLabels.__init__ (rect=True)
    public init(store: ImageStore, batchSize: Int, stride: Int = 32, pad: Double = 0.5, galleryCount: Int = 0) {
        self.store = store
        self.galleryCount = galleryCount
        self.batchSize = batchSize
        let items = store.dataset.items
        let ratios = items.map { Double($0.height) / Double($0.width) }
        let order = items.indices.sorted { ratios[$0] < ratios[$1] || (ratios[$0] == ratios[$1] && $0 < $1) }
        self.order = order
        let s = Double(store.imageSize)
        batchShapes = Swift.stride(from: 0, to: order.count, by: batchSize).map { start in
            let ar = order[start..<min(order.count, start + batchSize)].map { ratios[$0] }
            let (lo, hi) = (ar.min()!, ar.max()!)
            var shape = (1.0, 1.0)
            if hi < 1 { shape = (hi, 1) } else if lo > 1 { shape = (1, 1 / lo) }
            func side(_ f: Double) -> Int { Int((f * s / Double(stride) + pad).rounded(.up)) * stride }
            return (side(shape.0), side(shape.1))
        }
    }

    /// Losses (box, obj, cls) averaged over batches, metrics, and the wall time.
    public struct Output {
        public var metrics: YOLOv5Metrics
        public var losses: (box: Double, obj: Double, cls: Double)
        public var seconds: Double
        /// What detect.py would show on the first `galleryCount` images (by dataset index): confidence
        /// above 0.25, IoU 0.45, the best class of each box only.
        public var detected: [Int: [YOLOPrediction]]
    }

    /// How many of the first validation images also get detect.py's detections (the report's gallery).
    public let galleryCount: Int

    /// Validates `model` (put into evaluation mode here); `progress` is told each finished batch.
    // yolov5 v7.0 val.py run (called from train.py: conf 0.001, iou 0.6, max_det 300, multi_label)
    public func run(_ model: Detector, loss: YOLOv5Loss, progress: (Int, Int) -> Void = { _, _ in }) -> Output {
        let started = Date()
        _ = model.eval()
        var annotated: [AnnotatedImage] = []
        var detected: [Int: [YOLOPrediction]] = [:]
        var sums = (box: 0.0, obj: 0.0, cls: 0.0)
        let classes = model.spec.classes
        let batches = batchShapes.count
        for (b, shape) in batchShapes.enumerated() {
            let indices = Array(order[(b * batchSize)..<min(order.count, (b + 1) * batchSize)])
            let boxed = indices.map { image(at: $0, shape: shape) }
            let batch = Batch(images: boxed.map(\.image), labels: zip(indices, boxed).map { i, lb in
                // labels in the letterboxed image, normalised to it (val.py's targets)
                let w = lb.ratio * Double(lb.sourceWidth), h = lb.ratio * Double(lb.sourceHeight)
                return store.dataset.items[i].labels.map { label in
                    YOLOLabel(classID: label.classID, box: NormalizedBox(
                        cx: (label.box.cx * w + lb.pad.x) / Double(shape.w), cy: (label.box.cy * h + lb.pad.y) / Double(shape.h),
                        w: label.box.w * w / Double(shape.w), h: label.box.h * h / Double(shape.h)))
                }
            }, indices: indices)
            let (raw, decoded) = Autograd.withoutGrad { () -> ([Tensor], Tensor) in
                let raw = model(batch.images)
                return (raw, model.detect.decode(raw))
            }
            let value = Autograd.withoutGrad { loss(raw, batch.targets) }
            sums.box += Double(value.box)
            sums.obj += Double(value.obj)
            sums.cls += Double(value.cls)
            let rows = decoded.shape[1], no = 5 + classes
            for (k, i) in indices.enumerated() {
                let item = store.dataset.items[i]
                let gain = Double(boxed[k].sourceHeight) / Double(item.height) * boxed[k].ratio
                let rowsOfImage = decoded.data + k * rows * no
                func scaled(_ kept: [PredictedBox]) -> [YOLOPrediction] {
                    kept.map { p -> YOLOPrediction in
                        // scale_boxes: remove the padding, undo the gain, clip to the original image
                        func x(_ v: Float) -> Double { min(max((Double(v) - boxed[k].pad.x) / gain, 0), Double(item.width)) }
                        func y(_ v: Float) -> Double { min(max((Double(v) - boxed[k].pad.y) / gain, 0), Double(item.height)) }
                        let x1 = x(p.box.x1), x2 = x(p.box.x2), y1 = y(p.box.y1), y2 = y(p.box.y2)
                        let w = Double(item.width), h = Double(item.height)
                        return YOLOPrediction(classID: p.classID, box: NormalizedBox(cx: (x1 + x2) / 2 / w, cy: (y1 + y2) / 2 / h,
                                                                                      w: (x2 - x1) / w, h: (y2 - y1) / h),
                                              confidence: Double(p.confidence))
                    }
                }
                let predictions = scaled(Self.detections(rowsOfImage, rows: rows, classes: classes))
                if i < galleryCount { detected[i] = scaled(Self.detections(rowsOfImage, rows: rows, classes: classes, options: NMSOptions(), multiLabel: false)) }
                annotated.append(AnnotatedImage(path: item.path, width: item.width, height: item.height,
                                                labels: item.labels, predictions: predictions))
            }
            progress(b + 1, batches)
        }
        let metrics = yolov5Evaluate(annotated, classCount: classes)
        let n = Double(max(batches, 1))
        return Output(metrics: metrics, losses: (sums.box / n, sums.obj / n, sums.cls / n),
                      seconds: Date().timeIntervalSince(started), detected: detected)
    }

    /// Letterboxed image `i` at `shape`, kept after its first use (the shape of an image's batch never changes).
    func image(at i: Int, shape: (h: Int, w: Int)) -> Letterboxed {
        if let cached = lock.withLock({ letterboxed[i] }) { return cached }
        let boxed = letterbox(store.image(i), height: shape.h, width: shape.w, scaleUp: false)
        lock.withLock { letterboxed[i] = boxed }
        return boxed
    }

    /// YOLOv5's NMS on one image's decoded rows (cx, cy, w, h, obj, class scores): rows with
    /// objectness above the threshold; with `multiLabel` one candidate per class whose obj × class
    /// score is above it (validation: 0.001, IoU 0.6, 300 kept), else the best class only
    /// (detect.py: 0.25, IoU 0.45); class-aware suppression.
    // yolov5 v7.0 utils/general.py non_max_suppression
    public static func detections(_ p: UnsafeMutablePointer<Float>, rows: Int, classes: Int, options: NMSOptions = .validation,
                           multiLabel: Bool = true) -> [PredictedBox] {
        let no = 5 + classes
        var candidates: [PredictedBox] = []
        for r in 0..<rows {
            let row = p + r * no
            let obj = row[4]
            guard obj > options.confidenceThreshold else { continue }
            let box = PixelBox(x1: row[0] - row[2] / 2, y1: row[1] - row[3] / 2, x2: row[0] + row[2] / 2, y2: row[1] + row[3] / 2)
            if multiLabel {
                for c in 0..<classes {
                    let confidence = row[5 + c] * obj
                    if confidence > options.confidenceThreshold { candidates.append(PredictedBox(box: box, confidence: confidence, classID: c)) }
                }
            } else if classes > 0 {
                // conf, j = x[:, 5:].max(1, keepdim=True): the first of equal scores
                var best = 0
                for c in 1..<max(classes, 1) where row[5 + c] * obj > row[5 + best] * obj { best = c }
                let confidence = row[5 + best] * obj
                if confidence > options.confidenceThreshold { candidates.append(PredictedBox(box: box, confidence: confidence, classID: best)) }
            }
        }
        return nonMaxSuppression(candidates, options: options)
    }
}
