import Engine

/// A fully connected layer (torch.nn.Linear), initialised as PyTorch does: U(±1/√in).
/// x: [N, in] → [N, out].
public final class Linear: Module {
    /// [out, in].
    public var weight: Tensor
    public var bias: Tensor?

    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, rng: inout Philox) {
        weight = Tensor(zeros: [outFeatures, inFeatures], requiresGrad: true)
        Initializer.kaimingUniform(weight, fanIn: inFeatures, rng: &rng)
        if bias {
            let b = Tensor(zeros: [outFeatures], requiresGrad: true)
            Initializer.biasUniform(b, fanIn: inFeatures, rng: &rng)
            self.bias = b
        }
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        MACCounter.record(self, weight.count)
        return linear(x, weight, bias: bias)
    }
}
