/// BatchNorm and the activation after it as one op (every Conv-BN-Act block), forward and backward:
/// the same values as `activation(batchNorm2d(x, …), kind)` to the bit, in fewer passes over memory.
///
/// Forward writes f(x·scale + shift) in the pass that normalises, so BatchNorm's output is never
/// stored. Backward recomputes it per channel from x, forms dL/dz = dy·f′(z) in a per-thread buffer of
/// one channel (N·H·W values, in cache), and runs BatchNorm's backward on that buffer.
public func batchNorm2dActivation(_ x: Tensor, weight: Tensor, bias: Tensor, runningMean: Tensor, runningVar: Tensor,
                                  training: Bool, momentum: Float = 0.1, eps: Float = 1e-5, activation kind: Activation) -> Tensor {
    // An export traces BatchNorm and the activation as the two ops ONNX has.
    if Trace.current != nil || kind == .identity {
        let y = batchNorm2d(x, weight: weight, bias: bias, runningMean: runningMean, runningVar: runningVar,
                            training: training, momentum: momentum, eps: eps)
        return kind == .identity ? y : activation(y, kind)
    }
    let bn = BatchNormStatistics(x, weight: weight, bias: bias, runningMean: runningMean, runningVar: runningVar,
                                 training: training, momentum: momentum, eps: eps, op: "batchNorm2dActivation")
    switch kind {
    case .identity: return fused(bn, Identity())
    case .relu: return fused(bn, ReLU())
    case .relu6: return fused(bn, ReLU6())
    case .silu: return fused(bn, SiLU())
    case .sigmoid: return fused(bn, Sigmoid())
    case .hardsigmoid: return fused(bn, HardSigmoid())
    case .hardswish: return fused(bn, HardSwish())
    case .leakyRelu(let slope): return fused(bn, LeakyReLU(slope: slope))
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
                let buffer = UnsafeMutablePointer<Float>.allocate(capacity: channel)
                defer { buffer.deallocate() }
                for ch in channels {
                    let a = bn.affine(ch)
                    for img in 0..<bn.n {
                        let o = bn.offset(img, ch)
                        let x = bn.x.data + o, d = dy.data + o, g = buffer + img * bn.plane
                        var i = 0
                        while i + 16 <= bn.plane {
                            g.store(f.backward(a(x.vec(i)), d.vec(i)), i)
                            i += 16
                        }
                        while i < bn.plane {
                            g[i] = f.backward(a(Vec(repeating: x[i])), Vec(repeating: d[i]))[0]
                            i += 1
                        }
                    }
                    bn.backward(ch, grads) { img in UnsafePointer(buffer + img * bn.plane) }
                }
            }
        }
    }
    return y
}
