/// YOLOv5's model fitness, the figure that picks the best epoch: 0.1 · mAP@0.5 + 0.9 · mAP@0.5:0.95
/// (precision and recall weigh 0).
// yolov5 v7.0 utils/metrics.py fitness: w = [0.0, 0.0, 0.1, 0.9]
public func fitness(precision: Double, recall: Double, map50: Double, map50to95: Double) -> Double {
    0.0 * precision + 0.0 * recall + 0.1 * map50 + 0.9 * map50to95
}
