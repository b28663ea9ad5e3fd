/// Intersection over union as YOLOv5 v7.0 computes it: Float32, no +1 on pixel sizes, and
/// 1e-7 added to the union (which only shows on boxes of a few square pixels).
// yolov5 v7.0 utils/metrics.py box_iou: inter / ((a2 - a1).prod(2) + (b2 - b1).prod(2) - inter + eps)
@inlinable
public func boxIoU(_ a: PixelBox, _ b: PixelBox) -> Float {
    let w = max(min(a.x2, b.x2) - max(a.x1, b.x1), 0)
    let h = max(min(a.y2, b.y2) - max(a.y1, b.y1), 0)
    let inter = w * h
    return inter / (a.area + b.area - inter + 1e-7)
}

/// The IoU matrix of YOLOv5's `box_iou(box1, box2)`: `result[i * box2.count + j]` is the IoU of
/// `box1[i]` and `box2[j]`.
public func boxIoU(_ box1: [PixelBox], _ box2: [PixelBox]) -> [Float] {
    var result = [Float](repeating: 0, count: box1.count * box2.count)
    for (i, a) in box1.enumerated() {
        for (j, b) in box2.enumerated() {
            result[i * box2.count + j] = boxIoU(a, b)
        }
    }
    return result
}

/// Intersection over union as pycocotools computes it for boxes: Float64 on (x, y, w, h), no +1,
/// no eps; 0 when the boxes do not overlap. The union of a crowd box would be the detection's
/// area alone; studyctl's YOLO-format ground truth has no crowd boxes.
// cocoapi common/maskApi.c bbIou
@inlinable
public func cocoIoU(detection d: COCOBox, groundTruth g: COCOBox) -> Double {
    let w = min(d.width + d.x, g.width + g.x) - max(d.x, g.x)
    if w <= 0 { return 0 }
    let h = min(d.height + d.y, g.height + g.y) - max(d.y, g.y)
    if h <= 0 { return 0 }
    let inter = w * h
    return inter / (d.width * d.height + g.width * g.height - inter)
}
