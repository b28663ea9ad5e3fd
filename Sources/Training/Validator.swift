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
    let order: [Int]
    let batchShapes: [(h: Int, w: Int)]
    private var letterboxed: [Int: Letterboxed] = [:]
    private let lock = NSLock()

    /// Batches of `batchSize` (train.py passes twice the training batch), pad 0.5, stride 32.
    // yolov5 v7.0 utils/dataloaders.py LoadImagesAndLabels.__init__ (rect=True)
    public init(store: ImageStore, batchSize: Int, stride: Int = 32, pad: Double = 0.5) {
        self.store = store
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
    }

    /// Validates `model` (put into evaluation mode here); `progress` is told each finished batch.
    // yolov5 v7.0 val.py run (called from train.py: conf 0.001, iou 0.6, max_det 300, multi_label)
    public func run(_ model: Detector, loss: YOLOv5Loss, progress: (Int, Int) -> Void = { _, _ in }) -> Output {
        let started = Date()
        _ = model.eval()
        var annotated: [AnnotatedImage] = []
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
                let kept = Self.detections(decoded.data + k * rows * no, rows: rows, classes: classes)
                let predictions = kept.map { p -> YOLOPrediction in
                    // scale_boxes: remove the padding, undo the gain, clip to the original image
                    func x(_ v: Float) -> Double { min(max((Double(v) - boxed[k].pad.x) / gain, 0), Double(item.width)) }
                    func y(_ v: Float) -> Double { min(max((Double(v) - boxed[k].pad.y) / gain, 0), Double(item.height)) }
                    let x1 = x(p.box.x1), x2 = x(p.box.x2), y1 = y(p.box.y1), y2 = y(p.box.y2)
                    let w = Double(item.width), h = Double(item.height)
                    return YOLOPrediction(classID: p.classID, box: NormalizedBox(cx: (x1 + x2) / 2 / w, cy: (y1 + y2) / 2 / h,
                                                                                  w: (x2 - x1) / w, h: (y2 - y1) / h),
                                          confidence: Double(p.confidence))
                }
                annotated.append(AnnotatedImage(path: item.path, width: item.width, height: item.height,
                                                labels: item.labels, predictions: predictions))
            }
            progress(b + 1, batches)
        }
        let metrics = yolov5Evaluate(annotated, classCount: classes)
        let n = Double(max(batches, 1))
        return Output(metrics: metrics, losses: (sums.box / n, sums.obj / n, sums.cls / n),
                      seconds: Date().timeIntervalSince(started))
    }

    /// Letterboxed image `i` at `shape`, kept after its first use (the shape of an image's batch never changes).
    func image(at i: Int, shape: (h: Int, w: Int)) -> Letterboxed {
        if let cached = lock.withLock({ letterboxed[i] }) { return cached }
        let boxed = letterbox(store.image(i), height: shape.h, width: shape.w, scaleUp: false)
        lock.withLock { letterboxed[i] = boxed }
        return boxed
    }

    /// YOLOv5's NMS for validation on one image's decoded rows (cx, cy, w, h, obj, class scores):
    /// rows with objectness above 0.001, one candidate per class whose obj × class score is above
    /// 0.001 (multi-label), class-aware suppression at IoU 0.6, at most 300 kept.
    // yolov5 v7.0 utils/general.py non_max_suppression(multi_label=True)
    static func detections(_ p: UnsafeMutablePointer<Float>, rows: Int, classes: Int) -> [PredictedBox] {
        let options = NMSOptions.validation
        let no = 5 + classes
        var candidates: [PredictedBox] = []
        for r in 0..<rows {
            let row = p + r * no
            let obj = row[4]
            guard obj > options.confidenceThreshold else { continue }
            let box = PixelBox(x1: row[0] - row[2] / 2, y1: row[1] - row[3] / 2, x2: row[0] + row[2] / 2, y2: row[1] + row[3] / 2)
            for c in 0..<classes {
                let confidence = row[5 + c] * obj
                if confidence > options.confidenceThreshold { candidates.append(PredictedBox(box: box, confidence: confidence, classID: c)) }
            }
        }
        return nonMaxSuppression(candidates, options: options)
    }
}
