import Engine

/// YOLOv5 v7.0's detection loss: CIoU box regression on the assigned predictions, objectness BCE
/// against the detached IoU on every prediction (weighted 4, 1, 0.4 by level), class BCE on the
/// assigned predictions (skipped with one class).
public struct YOLOv5Loss {
    public var hyp: LossHyperparameters
    /// Per level [w, h] × 3 anchors in grid units (Detect's `anchors`, pixels / stride).
    public var anchors: [[Float]]
    public var classes: Int
    /// Objectness weights of the P3, P4, P5 levels.
    public let balance: [Float] = [4.0, 1.0, 0.4]

    public init(hyp: LossHyperparameters, anchors: [[Float]], classes: Int) {
        (self.hyp, self.anchors, self.classes) = (hyp, anchors, classes)
    }

    /// The three parts after their gains, and the total the trainer differentiates.
    public struct Value {
        /// (box + obj + cls) × batch size, as ComputeLoss returns it: [1].
        public var total: Tensor
        public var box: Float, obj: Float, cls: Float
    }

    /// The loss of raw predictions (per level [N, 3, H, W, 5 + nc], as `Detector` returns them)
    /// for a batch's targets.
    // yolov5 v7.0 utils/loss.py ComputeLoss.__call__
    public func callAsFunction(_ predictions: [Tensor], _ targets: [TargetBox]) -> Value {
        require(predictions.count == 3, "YOLOv5Loss: expected 3 levels, got \(predictions.count)")
        let no = 5 + classes
        let grids = predictions.map { (h: $0.shape[2], w: $0.shape[3]) }
        let assigned = buildTargets(targets, anchors: anchors, grids: grids, anchorT: hyp.anchorT)
        let cp = 1 - 0.5 * hyp.labelSmoothing, cn = 0.5 * hyp.labelSmoothing
        var boxTerms: [Tensor] = [], objTerms: [Tensor] = [], clsTerms: [Tensor] = []
        let batch = predictions[0].shape[0]
        for (level, p) in predictions.enumerated() {
            require(p.shape.rank == 5 && p.shape[4] == no, "YOLOv5Loss: level \(level) has shape \(p.shape), expected [N, 3, H, W, \(no)]")
            let (h, w) = grids[level]
            let rows = reshape(p, [p.count / no, no])
            let t = assigned[level]
            let tobj = Tensor(zeros: [rows.shape[0], 1])
            if t.count > 0 {
                let index = (0..<t.count).map { k in ((t.image[k] * 3 + t.anchor[k]) * h + t.gridY[k]) * w + t.gridX[k] }
                let ps = gatherRows(rows, index)
                let pxy = sigmoid(slice(ps, axis: 1, 0..<2)) * 2 - 0.5
                let pwhRoot = sigmoid(slice(ps, axis: 1, 2..<4)) * 2
                let pwh = pwhRoot * pwhRoot * Tensor(t.anchorWH, shape: [t.count, 2])
                let pbox = concat([pxy, pwh], axis: 1)
                let iou = completeIoU(pbox, Tensor(t.box, shape: [t.count, 4]))
                boxTerms.append(mean(-iou + 1))
                // gr = 1: the objectness target is the IoU itself, clamped at 0; the last write wins
                for (k, r) in index.enumerated() { tobj.data[r] = Swift.max(iou.data[k], 0) }
                if classes > 1 {
                    var tc = [Float](repeating: cn, count: t.count * classes)
                    for k in 0..<t.count { tc[k * classes + t.classID[k]] = cp }
                    let pcls = slice(ps, axis: 1, 5..<no)
                    clsTerms.append(bceWithLogits(pcls, targets: Tensor(tc, shape: pcls.shape), posWeight: hyp.clsPositiveWeight))
                }
            }
            let pobj = slice(rows, axis: 1, 4..<5)
            objTerms.append(bceWithLogits(pobj, targets: tobj, posWeight: hyp.objPositiveWeight) * balance[level])
        }
        let lbox = sum(of: boxTerms) * hyp.box, lobj = sum(of: objTerms) * hyp.obj, lcls = sum(of: clsTerms) * hyp.cls
        let parts = [lbox, lobj, lcls].compactMap { $0 }
        let total = sum(of: parts)! * Float(batch)
        return Value(total: total, box: lbox?.item ?? 0, obj: lobj?.item ?? 0, cls: lcls?.item ?? 0)
    }

    /// The sum of one-element tensors, in order; nil for none.
    private func sum(of terms: [Tensor]) -> Tensor? {
        guard var sum = terms.first else { return nil }
        for term in terms.dropFirst() { sum = sum + term }
        return sum
    }
}

private func * (a: Tensor?, s: Float) -> Tensor? { a.map { $0 * s } }
