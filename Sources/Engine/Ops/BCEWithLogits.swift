import Foundation

/// Mean binary cross-entropy on logits, fused and numerically stable (torch.nn.BCEWithLogitsLoss,
/// reduction "mean"), as YOLOv5 uses for objectness and classes.
///
/// ℓ = (1 − t)·x + w·softplus(−x) with w = 1 + (posWeight − 1)·t; dℓ/dx = (1 − t) − w·σ(−x).
/// Targets carry no gradient. → [1].
public func bceWithLogits(_ logits: Tensor, targets: Tensor, posWeight: Float = 1) -> Tensor {
    require(logits.shape == targets.shape, "bceWithLogits: logits \(logits.shape) and targets \(targets.shape) differ")
    require(logits.count > 0, "bceWithLogits: empty input")
    let n = logits.count
    // softplus(−x) = max(−x, 0) + log(1 + e^−|x|)
    func softplusNeg(_ x: Float) -> Float { Swift.max(-x, 0) + Foundation.log1p(Foundation.exp(-abs(x))) }
    var total = 0.0
    for i in 0..<n {
        let x = logits.data[i], t = targets.data[i]
        total += Double((1 - t) * x + (1 + (posWeight - 1) * t) * softplusNeg(x))
    }
    let y = Tensor([Float(total / Double(n))], shape: [1])
    if Autograd.needsGrad(logits) {
        Autograd.record([y]) {
            guard let dy = y.grad else { return }
            let (dx, accumulate) = logits.gradTarget()
            let scale = dy.data[0] / Float(n)
            for i in 0..<n {
                let x = logits.data[i], t = targets.data[i]
                let g = scale * ((1 - t) - (1 + (posWeight - 1) * t) / (1 + Foundation.exp(x)))
                dx[i] = accumulate ? dx[i] + g : g
            }
        }
    }
    return y
}
