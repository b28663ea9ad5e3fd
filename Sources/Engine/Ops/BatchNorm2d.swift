/// Batch normalisation over N, H, W per channel (torch.nn.BatchNorm2d), forward and backward.
///
/// x: [N, C, H, W], weight and bias: [C] → [N, C, H, W]. In training it normalises with the batch
/// statistics and updates the running ones in place (running_var takes the unbiased variance, as
/// PyTorch does); in evaluation it uses the running statistics. YOLOv5 uses eps 1e-3, momentum 0.03.
public func batchNorm2d(_ x: Tensor, weight: Tensor, bias: Tensor, runningMean: Tensor, runningVar: Tensor,
                        training: Bool, momentum: Float = 0.1, eps: Float = 1e-5) -> Tensor {
    let started = Profiler.start()
    defer { Profiler.stop(started, "batchNorm2d") }
    let (n, c, h, w) = x.shape.nchw("batchNorm2d")
    for (name, t) in [("weight", weight), ("bias", bias), ("runningMean", runningMean), ("runningVar", runningVar)] {
        require(t.shape == [c], "batchNorm2d: \(name) has shape \(t.shape), expected [\(c)] for input \(x.shape)")
    }
    let plane = h * w, count = n * plane
    require(!training || count > 1, "batchNorm2d: training needs more than one value per channel, got input \(x.shape)")
    let y = Tensor(uninitialized: x.shape)
    // Per channel: the mean and 1/√(var + eps) used, kept for backward.
    let stats = Storage(count: 2 * c)
    let mean = stats.pointer, invStd = stats.pointer + c
    ThreadPool.shared.parallelFor(c) { channels in
        for ch in channels {
            if training {
                var total = 0.0
                for img in 0..<n { total += Double(Reduce.sum(x.data + (img * c + ch) * plane, plane)) }
                let m = Float(total / Double(count))
                var squares = 0.0
                for img in 0..<n { squares += Double(Reduce.squaredDeviation(x.data + (img * c + ch) * plane, plane, mean: m)) }
                let variance = squares / Double(count)
                mean[ch] = m
                invStd[ch] = Float(1 / (variance + Double(eps)).squareRoot())
                runningMean.data[ch] = (1 - momentum) * runningMean.data[ch] + momentum * m
                runningVar.data[ch] = (1 - momentum) * runningVar.data[ch] + momentum * Float(squares / Double(count - 1))
            } else {
                mean[ch] = runningMean.data[ch]
                invStd[ch] = 1 / (runningVar.data[ch] + eps).squareRoot()
            }
            let scale = weight.data[ch] * invStd[ch], shift = bias.data[ch] - mean[ch] * scale
            for img in 0..<n {
                let offset = (img * c + ch) * plane
                mapElements(x.data + offset, y.data + offset, plane, Affine(scale: scale, shift: shift))
            }
        }
    }
    if Autograd.needsGrad(x, weight, bias) {
        Autograd.record([y]) {
            guard let dy = y.grad else { return }
            batchNorm2dBackward(x, dy, weight, bias, mean, invStd, training: training)
            _ = stats
        }
    }
    if !training { Trace.record(.batchNorm(epsilon: eps), [x, weight, bias, runningMean, runningVar], y) }
    return y
}

/// With x̂ = (x − μ)·σ⁻¹: dβ = Σ dy, dγ = Σ dy·x̂, and in training
/// dx = γσ⁻¹/M · (M·dy − Σ dy − x̂·Σ dy·x̂) (the batch statistics depend on x); in evaluation dx = γσ⁻¹·dy.
private func batchNorm2dBackward(_ x: Tensor, _ dy: Tensor, _ weight: Tensor, _ bias: Tensor,
                                 _ mean: UnsafeMutablePointer<Float>, _ invStd: UnsafeMutablePointer<Float>,
                                 training: Bool) {
    let (n, c, h, w) = x.shape.nchw("batchNorm2d backward")
    let plane = h * w, count = Float(n * plane)
    let dx = x.requiresGrad ? x.gradTarget() : nil
    let dWeight = weight.requiresGrad ? weight.gradTarget() : nil
    let dBias = bias.requiresGrad ? bias.gradTarget() : nil
    ThreadPool.shared.parallelFor(c) { channels in
        for ch in channels {
            let m = mean[ch], s = invStd[ch]
            var sumDy = 0.0, sumDyX = 0.0
            for img in 0..<n {
                let offset = (img * c + ch) * plane
                let sdy = Reduce.sum(dy.data + offset, plane)
                sumDy += Double(sdy)
                sumDyX += Double(Reduce.dot(dy.data + offset, x.data + offset, plane)) - Double(m) * Double(sdy)
            }
            let sumDyXhat = Float(sumDyX) * s
            if let (g, acc) = dWeight { g[ch] = acc ? g[ch] + sumDyXhat : sumDyXhat }
            if let (g, acc) = dBias { g[ch] = acc ? g[ch] + Float(sumDy) : Float(sumDy) }
            guard let (dxp, accumulate) = dx else { continue }
            let gs = weight.data[ch] * s
            // dx = a·dy + b·x + k, folding x̂ = (x − μ)s into per-channel constants.
            let a = gs
            let b = training ? -gs * sumDyXhat * s / count : 0
            let k = training ? -gs * Float(sumDy) / count - b * m : 0
            for img in 0..<n {
                let offset = (img * c + ch) * plane
                zipElements(dy.data + offset, x.data + offset, into: dxp + offset, accumulate: accumulate, plane,
                            LinearCombination(p: a, q: b, k: k))
            }
        }
    }
}
