import Engine

/// Complete IoU of boxes given as centre and size, [M, 4] each (x, y, w, h) → [M, 1]:
/// IoU − (ρ²/c² + α·v), with v the aspect-ratio term and α held constant (no gradient).
// yolov5 v7.0 utils/metrics.py bbox_iou(xywh=True, CIoU=True, eps=1e-7)
public func completeIoU(_ box1: Tensor, _ box2: Tensor, eps: Float = 1e-7) -> Tensor {
    let (x1, y1, w1, h1) = columns(box1)
    let (x2, y2, w2, h2) = columns(box2)
    let b1x1 = x1 - w1 * 0.5, b1x2 = x1 + w1 * 0.5, b1y1 = y1 - h1 * 0.5, b1y2 = y1 + h1 * 0.5
    let b2x1 = x2 - w2 * 0.5, b2x2 = x2 + w2 * 0.5, b2y1 = y2 - h2 * 0.5, b2y2 = y2 + h2 * 0.5
    let interW = clamp(minimum(b1x2, b2x2) - maximum(b1x1, b2x1), min: 0)
    let interH = clamp(minimum(b1y2, b2y2) - maximum(b1y1, b2y1), min: 0)
    let inter = interW * interH
    let union = w1 * h1 + w2 * h2 - inter + eps
    let iou = inter / union
    let cw = maximum(b1x2, b2x2) - minimum(b1x1, b2x1)
    let ch = maximum(b1y2, b2y2) - minimum(b1y1, b2y1)
    let c2 = pow(cw, 2) + pow(ch, 2) + eps
    let rho2 = (pow(b2x1 + b2x2 - b1x1 - b1x2, 2) + pow(b2y1 + b2y2 - b1y1 - b1y2, 2)) * 0.25
    let v = pow(atan(w2 / h2) - atan(w1 / h1), 2) * Float(4 / (Double.pi * Double.pi))
    let alpha = Autograd.withoutGrad { v.detached() / (v.detached() - iou.detached() + (1 + eps)) }
    return iou - (rho2 / c2 + v * alpha)
}

/// The four columns of an [M, 4] tensor as [M, 1] tensors.
private func columns(_ box: Tensor) -> (Tensor, Tensor, Tensor, Tensor) {
    let parts = split(box, sizes: [1, 1, 1, 1], axis: 1)
    return (parts[0], parts[1], parts[2], parts[3])
}
