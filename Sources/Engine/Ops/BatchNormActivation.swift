/// BatchNorm and the activation after it as one op (every Conv-BN-Act block), forward and backward:
/// `activation(batchNorm2d(x, …), kind)` in fewer passes over memory.
///
/// Forward writes f(x·scale + shift) in the pass that normalises, so BatchNorm's output is never
/// stored (the same bits as the two ops). Backward recomputes it per channel from x and, in one pass
/// over x and dy, forms dL/dz = dy·f′(z) in a per-thread buffer of one channel (N·H·W values, in
/// cache) with the two sums BatchNorm's backward needs; a second pass writes dx. Its sums add in
/// another order than the two ops', so the gradients agree to rounding, not to the bit. ReLU, ReLU6,
/// hard-sigmoid, hard-swish and leaky ReLU are fused; SiLU and sigmoid run as the two ops.
public func batchNorm2dActivation(_ x: Tensor, weight: Tensor, bias: Tensor, runningMean: Tensor, runningVar: Tensor,
                                  training: Bool, momentum: Float = 0.1, eps: Float = 1e-5, activation kind: Activation) -> Tensor {
    func separate() -> Tensor {
        let y = batchNorm2d(x, weight: weight, bias: bias, runningMean: runningMean, runningVar: runningVar,
                            training: training, momentum: momentum, eps: eps)
        return kind == .identity ? y : activation(y, kind)
    }
    func fusedWith<F: ActivationFunction>(_ f: F) -> Tensor {
        fused(BatchNormStatistics(x, weight: weight, bias: bias, runningMean: runningMean, runningVar: runningVar,
                                  training: training, momentum: momentum, eps: eps, op: "batchNorm2dActivation"), f)
    }
    // An export traces BatchNorm and the activation as the two ops ONNX has.
    if Trace.current != nil { return separate() }
    switch kind {
    case .relu: return fusedWith(ReLU())
    case .relu6: return fusedWith(ReLU6())
    case .hardsigmoid: return fusedWith(HardSigmoid())
    case .hardswish: return fusedWith(HardSwish())
    case .leakyRelu(let slope): return fusedWith(LeakyReLU(slope: slope))
    // SiLU's and sigmoid's backward exp costs as much as the passes fusion saves (docs/engine.md).
    case .identity, .silu, .sigmoid: return separate()
    }
}

private func fused<F: ActivationFunction>(_ bn: BatchNormStatistics, _ f: F) -> Tensor {
    let started = Profiler.start()
    defer { Profiler.stop(started, "batchNormActivation") }
    let y = Tensor(uninitialized: bn.x.shape)
    bn.normalise(into: y, then: f)
    if Autograd.needsGrad(bn.x, bn.weight, bn.bias) {
        Autograd.record([y]) {
            guard let dy = y.grad else { return }
            let grads = bn.gradientTargets()
            let channel = bn.n * bn.plane
            ThreadPool.shared.parallelFor(bn.c) { channels in
                let buffer = Scratch.buffer(0, count: channel)
                for ch in channels {
                    let a = bn.affine(ch), m = Double(bn.mean[ch])
                    // One pass over x and dy: dL/dz = dy·f′(z) into the buffer, and its two sums.
                    var sumDy = 0.0, sumDyX = 0.0
                    for img in 0..<bn.n {
                        let o = bn.offset(img, ch)
                        let x = bn.x.data + o, d = dy.data + o, g = buffer + img * bn.plane
                        var (sums, dots) = (Vec(), Vec())
                        var i = 0
                        while i < bn.plane {
                            // The tail as one vector with zeros above: dy = 0 there gives dL/dz = 0 to the sums.
                            let count = min(16, bn.plane - i)
                            let x0 = count == 16 ? x.vec(i) : x.vec(i, count: count)
                            let d0 = count == 16 ? d.vec(i) : d.vec(i, count: count)
                            let g0 = f.backward(a(x0), d0)
                            if count == 16 { g.store(g0, i) } else { g.store(g0, i, count: count) }
                            sums += g0
                            dots += g0 * x0
                            i += 16
                        }
                        let (sum, dot) = (sums.sum(), dots.sum())
                        sumDy += Double(sum)
                        sumDyX += Double(dot) - m * Double(sum)
                    }
                    bn.apply(ch, grads, sumDy: sumDy, sumDyXCentred: sumDyX) { img in UnsafePointer(buffer + img * bn.plane) }
                }
            }
        }
    }
    return y
}

