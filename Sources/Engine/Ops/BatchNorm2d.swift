/// Batch normalisation over N, H, W per channel (torch.nn.BatchNorm2d), forward and backward.
///
/// x: [N, C, H, W], weight and bias: [C] → [N, C, H, W]. In training it normalises with the batch
/// statistics and updates the running ones in place (running_var takes the unbiased variance, as
/// PyTorch does); in evaluation it uses the running statistics. YOLOv5 uses eps 1e-3, momentum 0.03.
public func batchNorm2d(_ x: Tensor, weight: Tensor, bias: Tensor, runningMean: Tensor, runningVar: Tensor,
                        training: Bool, momentum: Float = 0.1, eps: Float = 1e-5) -> Tensor {
    let started = Profiler.start()
    defer { Profiler.stop(started, "batchNorm2d") }
    let bn = BatchNormStatistics(x, weight: weight, bias: bias, runningMean: runningMean, runningVar: runningVar,
                                 training: training, momentum: momentum, eps: eps, op: "batchNorm2d")
    let y = Tensor(uninitialized: x.shape)
    bn.normalise(into: y, then: Identity())
    if Autograd.needsGrad(x, weight, bias) {
        Autograd.record([y]) {
            guard let dy = y.grad else { return }
            let grads = bn.gradientTargets()
            ThreadPool.shared.parallelFor(bn.c) { channels in
                for ch in channels { bn.backward(ch, grads) { img in UnsafePointer(dy.data + bn.offset(img, ch)) } }
            }
        }
    }
    if !training { Trace.record(.batchNorm(epsilon: eps), [x, weight, bias, runningMean, runningVar], y) }
    return y
}

/// What BatchNorm's forward and backward share: the input, the per-channel mean and 1/√(var + eps)
/// used (batch statistics in training, running ones in evaluation), and the backward per channel.
struct BatchNormStatistics {
    let x: Tensor, weight: Tensor, bias: Tensor
    let n: Int, c: Int, plane: Int, training: Bool
    /// mean[0..<c], then invStd[0..<c]; kept alive by the backward closure that holds this value.
    let stats: Storage

    var mean: UnsafeMutablePointer<Float> { stats.pointer }
    var invStd: UnsafeMutablePointer<Float> { stats.pointer + c }

    /// The running statistics and their settings, for `normalise`.
    let runningMean: Tensor, runningVar: Tensor, momentum: Float, eps: Float

    /// Checks the shapes; `normalise` computes the statistics.
    init(_ x: Tensor, weight: Tensor, bias: Tensor, runningMean: Tensor, runningVar: Tensor,
         training: Bool, momentum: Float, eps: Float, op: String) {
        let (n, c, h, w) = x.shape.nchw(op)
        for (name, t) in [("weight", weight), ("bias", bias), ("runningMean", runningMean), ("runningVar", runningVar)] {
            require(t.shape == [c], "\(op): \(name) has shape \(t.shape), expected [\(c)] for input \(x.shape)")
        }
        let plane = h * w
        require(!training || n * plane > 1, "\(op): training needs more than one value per channel, got input \(x.shape)")
        (self.x, self.weight, self.bias, self.n, self.c, self.plane, self.training) = (x, weight, bias, n, c, plane, training)
        (self.runningMean, self.runningVar, self.momentum, self.eps) = (runningMean, runningVar, momentum, eps)
        stats = Storage(count: 2 * c)
    }

    /// Channel `ch`'s mean and 1/√(var + eps): the batch's in training (updating the running ones),
    /// the running ones in evaluation.
    @inline(__always)
    func computeStatistics(_ ch: Int) {
        guard training else {
            mean[ch] = runningMean.data[ch]
            invStd[ch] = 1 / (runningVar.data[ch] + eps).squareRoot()
            return
        }
        let count = n * plane
        var total = 0.0
        for img in 0..<n { total += Double(Reduce.sum(x.data + offset(img, ch), plane)) }
        let m = Float(total / Double(count))
        var squares = 0.0
        for img in 0..<n { squares += Double(Reduce.squaredDeviation(x.data + offset(img, ch), plane, mean: m)) }
        let variance = squares / Double(count)
        mean[ch] = m
        invStd[ch] = Float(1 / (variance + Double(eps)).squareRoot())
        runningMean.data[ch] = (1 - momentum) * runningMean.data[ch] + momentum * m
        runningVar.data[ch] = (1 - momentum) * runningVar.data[ch] + momentum * Float(squares / Double(count - 1))
    }

    /// Where image `img`'s plane of channel `ch` starts.
    @inline(__always) func offset(_ img: Int, _ ch: Int) -> Int { (img * c + ch) * plane }

    /// Channel `ch`'s normalisation as x·scale + shift.
    @inline(__always) func affine(_ ch: Int) -> Affine {
        let scale = weight.data[ch] * invStd[ch]
        return Affine(scale: scale, shift: bias.data[ch] - mean[ch] * scale)
    }

    /// y = f(x·scale + shift) per channel: BatchNorm, and the activation after it in the same pass,
    /// right after the channel's statistics (its planes still in cache).
    func normalise<F: ActivationFunction>(into y: Tensor, then f: F) {
        ThreadPool.shared.parallelFor(c) { channels in
            for ch in channels {
                computeStatistics(ch)
                let a = affine(ch)
                for img in 0..<n {
                    let src = x.data + offset(img, ch), dst = y.data + offset(img, ch)
                    var i = 0
                    while i + 16 <= plane {
                        dst.store(f.forward(a(src.vec(i))), i)
                        i += 16
                    }
                    if i < plane { dst.store(f.forward(a(src.vec(i, count: plane - i))), i, count: plane - i) }
                }
            }
        }
    }

    /// Where the backward writes: dx, dweight, dbias with their accumulate flags (nil: not needed).
    struct GradientTargets {
        let dx, dWeight, dBias: (UnsafeMutablePointer<Float>, Bool)?
    }

    func gradientTargets() -> GradientTargets {
        GradientTargets(dx: x.requiresGrad ? x.gradTarget() : nil, dWeight: weight.requiresGrad ? weight.gradTarget() : nil,
                        dBias: bias.requiresGrad ? bias.gradTarget() : nil)
    }

    /// Channel `ch`'s backward, with dL/dy's plane of image `img` at `dy(img)`: its two sums, then `apply`.
    @inline(__always)
    func backward(_ ch: Int, _ g: GradientTargets, dy: (Int) -> UnsafePointer<Float>) {
        let m = Double(mean[ch])
        var sumDy = 0.0, sumDyX = 0.0
        for img in 0..<n {
            let sdy = Reduce.sum(dy(img), plane)
            sumDy += Double(sdy)
            sumDyX += Double(Reduce.dot(dy(img), x.data + offset(img, ch), plane)) - m * Double(sdy)
        }
        apply(ch, g, sumDy: sumDy, sumDyXCentred: sumDyX, dy: dy)
    }

    /// Channel `ch`'s gradients from Σ dy and Σ dy·(x − μ). With x̂ = (x − μ)·σ⁻¹: dβ = Σ dy,
    /// dγ = Σ dy·x̂, and in training dx = γσ⁻¹/M · (M·dy − Σ dy − x̂·Σ dy·x̂) (the batch statistics
    /// depend on x); in evaluation dx = γσ⁻¹·dy.
    @inline(__always)
    func apply(_ ch: Int, _ g: GradientTargets, sumDy: Double, sumDyXCentred: Double, dy: (Int) -> UnsafePointer<Float>) {
        let count = Float(n * plane)
        let m = mean[ch], s = invStd[ch]
        let sumDyXhat = Float(sumDyXCentred) * s
        if let (d, acc) = g.dWeight { d[ch] = acc ? d[ch] + sumDyXhat : sumDyXhat }
        if let (d, acc) = g.dBias { d[ch] = acc ? d[ch] + Float(sumDy) : Float(sumDy) }
        guard let (dx, accumulate) = g.dx else { return }
        let gs = weight.data[ch] * s
        // dx = a·dy + b·x + k, folding x̂ = (x − μ)s into per-channel constants.
        let b = training ? -gs * sumDyXhat * s / count : 0
        let k = training ? -gs * Float(sumDy) / count - b * m : 0
        let f = LinearCombination(p: gs, q: b, k: k)
        for img in 0..<n {
            let o = offset(img, ch)
            zipElements(dy(img), x.data + o, into: dx + o, accumulate: accumulate, plane, f)
        }
    }
}
