import Detection

extension Hyperparameters {
    /// The loss gains as train.py scales them for 3 detection levels, `classes` and `imageSize` —
    /// for training and for validation's losses alike.
    // yolov5 v7.0 train.py: hyp['box'] *= 3 / nl; hyp['cls'] *= nc / 80 * 3 / nl; hyp['obj'] *= (imgsz / 640) ** 2 * 3 / nl
    public func lossGains(classes: Int, imageSize: Int) -> LossHyperparameters {
        .scaled(box: self[.box], obj: self[.obj], cls: self[.cls], levels: 3, classes: classes, imageSize: imageSize,
                clsPositiveWeight: self[.clsPositiveWeight], objPositiveWeight: self[.objPositiveWeight],
                anchorT: self[.anchorT], labelSmoothing: self[.labelSmoothing])
    }
}
