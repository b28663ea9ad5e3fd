import Engine

/// Convolution without bias, BatchNorm, activation: YOLOv5's `Conv` (models/common.py) and the
/// Conv-BN-Act triple of every torchvision/timm backbone. After `fuse()` the BatchNorm is folded
/// into the convolution's weight and bias (YOLOv5 `fuse_conv_and_bn`).
///
/// x: [N, in, H, W] → [N, out, H', W'], with "same" padding by default (YOLOv5 `autopad`:
/// dilation·(k − 1)/2), so H' = H / stride for odd kernels.
public final class ConvBNAct: UnaryLayer {
    public let conv: Conv2d
    /// nil once fused.
    public private(set) var bn: BatchNorm2d?
    public let act: Activation

    /// - Parameters:
    ///   - padding: nil for YOLOv5's autopad.
    ///   - act: `.silu` for YOLOv5; `.identity` for a linear projection.
    public init(_ inChannels: Int, _ outChannels: Int, kernel: Int = 1, stride: Int = 1, padding: Int? = nil,
                groups: Int = 1, dilation: Int = 1, act: Activation = .silu, rng: inout Philox) {
        conv = Conv2d(inChannels, outChannels, kernel: kernel, stride: stride,
                      padding: padding ?? Self.autopad(kernel, dilation: dilation),
                      dilation: dilation, groups: groups, bias: false, rng: &rng)
        bn = BatchNorm2d(outChannels)
        self.act = act
    }

    /// YOLOv5 `autopad`: the padding that keeps H' = H / stride for an odd kernel.
    public static func autopad(_ kernel: Int, dilation: Int = 1) -> Int { (dilation * (kernel - 1) + 1) / 2 }

    public var outChannels: Int { conv.outChannels }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let y = conv(x)
        if let bn { return bn(y, then: act) }
        return act == .identity ? y : activation(y, act)
    }

    /// Folds the BatchNorm's running statistics into the convolution (YOLOv5 `fuse_conv_and_bn`):
    /// w' = w·γ/√(σ² + ε), b' = β − γ·μ/√(σ² + ε). For inference only; a no-op once fused.
    public func fuse() {
        guard let bn else { return }
        let (o, perChannel) = (conv.outChannels, conv.weight.count / conv.outChannels)
        let weight = conv.weight.copy(), bias = Tensor(zeros: [o])
        for c in 0..<o {
            let scale = bn.weight.data[c] / (bn.runningVar.data[c] + bn.eps).squareRoot()
            for i in 0..<perChannel { weight.data[c * perChannel + i] *= scale }
            let convBias = conv.bias?.data[c] ?? 0
            bias.data[c] = (convBias - bn.runningMean.data[c]) * scale + bn.bias.data[c]
        }
        conv.weight = weight
        conv.bias = bias
        self.bn = nil
    }
}
