/// Stochastic gradient descent with momentum, Nesterov and weight decay: `torch.optim.SGD`, dampening 0.
///
/// Momentum buffers start at zero, which reproduces torch's first step (buffer = gradient) exactly
/// and means a step allocates nothing.
public final class SGD: Optimizer {
    public let groups: [ParameterGroup]
    /// Nesterov momentum (YOLOv5 turns it on).
    public let nesterov: Bool
    /// One momentum buffer per parameter, in group order.
    private let buffers: [[Tensor]]

    public init(_ groups: [ParameterGroup], nesterov: Bool = false) {
        self.groups = groups
        self.nesterov = nesterov
        buffers = groups.map { $0.params.map { Tensor(zeros: $0.shape) } }
        checkParamsAreUnique("SGD")
        require(!nesterov || groups.allSatisfy { $0.momentum > 0 }, "SGD: Nesterov momentum needs momentum > 0")
    }

    public var state: [String: Tensor] {
        let flat = buffers.flatMap { $0 }
        return Dictionary(uniqueKeysWithValues: flat.enumerated().map { ("state.\($0).momentum_buffer", $1) })
    }

    public func step() {
        for (group, buffers) in zip(groups, buffers) {
            let lr = Float(group.lr), momentum = Float(group.momentum), decay = Float(group.weightDecay)
            for (p, buffer) in zip(group.params, buffers) {
                guard let grad = p.grad else { continue }
                require(grad.count == p.count, "SGD: gradient \(grad.shape) for parameter \(p.shape)")
                let update = Update(param: p.data, grad: grad.data, buffer: buffer.data, lr: lr, momentum: momentum,
                                    decay: decay, nesterov: nesterov)
                forEachBlock(p.count, update)
            }
        }
    }

    // torch.optim.SGD (PyTorch 2.x docs): g = ∇ + wd·p; b = μ·b + g; g = nesterov ? g + μ·b : b; p -= lr·g
    private struct Update: BlockKernel {
        let param: UnsafeMutablePointer<Float>, grad: UnsafeMutablePointer<Float>, buffer: UnsafeMutablePointer<Float>
        let lr: Float, momentum: Float, decay: Float
        let nesterov: Bool

        @inline(__always) func callAsFunction(_ i: Int, _ n: Int) {
            let p = param.block(i, n)
            var g = grad.block(i, n)
            if decay != 0 { g += decay * p }
            if momentum != 0 {
                let b = momentum * buffer.block(i, n) + g
                buffer.setBlock(b, i, n)
                g = nesterov ? g + momentum * b : b
            }
            param.setBlock(p - lr * g, i, n)
        }
    }
}
