/// BatchNorm and the activation after it as one op (every Conv-BN-Act block), forward and backward:
/// `activation(batchNorm2d(x, …), kind)` in fewer passes over memory.
///
/// Forward writes f(x·scale + shift) in the pass that normalises, so BatchNorm's output is never
/// stored. Backward recomputes it per channel from x, forms dL/dz = dy·f′(z) plane by plane in a
/// per-thread buffer of one channel (N·H·W values, in cache), sums it while each plane is in L1, and
/// writes dx from the buffer. The bits are those of the two ops. ReLU, ReLU6, hard-sigmoid,
/// hard-swish and leaky ReLU are fused; SiLU and sigmoid run as the two ops.
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
                    // Per plane: dL/dz = dy·f′(z) into the buffer, then its two sums while the plane is
                    // in L1 — the sums of BatchNorm's own backward, so the bits are the two ops'.
                    var sumDy = 0.0, sumDyX = 0.0
                    for img in 0..<bn.n {
                        let o = bn.offset(img, ch)
                        let x = bn.x.data + o, d = dy.data + o, g = buffer + img * bn.plane
                        var i = 0
                        while i + 16 <= bn.plane {
                            g.store(f.backward(a(x.vec(i)), d.vec(i)), i)
                            i += 16
                        }
                        if i < bn.plane {
                            let count = bn.plane - i
                            g.store(f.backward(a(x.vec(i, count: count)), d.vec(i, count: count)), i, count: count)
                        }
                        let sdy = Reduce.sum(g, bn.plane)
                        sumDy += Double(sdy)
                        sumDyX += Double(Reduce.dot(g, x, bn.plane)) - m * Double(sdy)
                    }
                    bn.apply(ch, grads, sumDy: sumDy, sumDyXCentred: sumDyX) { img in UnsafePointer(buffer + img * bn.plane) }
                }
            }
        }
    }
    return y
}

