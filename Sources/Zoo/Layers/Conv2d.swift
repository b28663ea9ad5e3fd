import Engine

/// A 2-D convolution layer (torch.nn.Conv2d), initialised as PyTorch does: weight and bias
/// U(±1/√fan_in) (kaiming_uniform with a = √5).
///
/// x: [N, inChannels, H, W] → [N, outChannels, H', W'],
/// H' = (H + 2·padding − dilation·(kernel − 1) − 1) / stride + 1.
public final class Conv2d: UnaryLayer {
    /// [out, in/groups, k, k].
    public var weight: Tensor
    /// [out], or nil for a convolution without bias (those followed by BatchNorm).
    public var bias: Tensor?
    public let stride: Int, padding: Int, dilation: Int, groups: Int

    public init(_ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                dilation: Int = 1, groups: Int = 1, bias: Bool = true, rng: inout Philox) {
        precondition(inChannels % groups == 0 && outChannels % groups == 0,
                     "Conv2d: \(inChannels) → \(outChannels) channels do not split into \(groups) groups")
        let fanIn = inChannels / groups * kernel * kernel
        weight = Tensor(zeros: [outChannels, inChannels / groups, kernel, kernel], requiresGrad: true)
        Initializer.kaimingUniform(weight, fanIn: fanIn, rng: &rng)
        if bias {
            let b = Tensor(zeros: [outChannels], requiresGrad: true)
            Initializer.biasUniform(b, fanIn: fanIn, rng: &rng)
            self.bias = b
        }
        (self.stride, self.padding, self.dilation, self.groups) = (stride, padding, dilation, groups)
    }

    public var inChannels: Int { weight.shape[1] * groups }
    public var outChannels: Int { weight.shape[0] }
    public var kernel: Int { weight.shape[2] }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let y = conv2d(x, weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
        MACCounter.record(self, y.count / y.shape[0] * (weight.count / outChannels))
        return y
    }
}
