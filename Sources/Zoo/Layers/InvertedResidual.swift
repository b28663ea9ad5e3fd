import Engine

/// The inverted residual block of MobileNetV2 (Sandler et al., 2018), MnasNet and MobileNetV3:
/// 1×1 expansion (skipped when the expanded width equals the input's), k×k depthwise convolution
/// at `stride`, optional squeeze-and-excitation, linear 1×1 projection, and a residual when
/// stride is 1 and the widths match — torchvision mobilenetv2.py / mobilenetv3.py / mnasnet.py
/// `InvertedResidual`. x: [N, in, H, W] → [N, out, H/stride, W/stride].
public final class InvertedResidual: UnaryLayer {
    public let expand: ConvBNAct?
    public let depthwise: ConvBNAct
    public let se: SqueezeExcite?
    public let project: ConvBNAct
    public let useResidual: Bool

    /// - Parameters:
    ///   - alwaysExpand: MnasNet keeps the 1×1 expansion even when it does not widen.
    ///   - squeezed: the SE bottleneck width, or nil for no SE.
    public init(_ inChannels: Int, _ outChannels: Int, kernel: Int, stride: Int, expanded: Int,
                act: Activation, squeezed: Int? = nil, alwaysExpand: Bool = false, rng: inout Philox) {
        expand = expanded != inChannels || alwaysExpand
            ? ConvBNAct(inChannels, expanded, kernel: 1, act: act, rng: &rng) : nil
        depthwise = ConvBNAct(expanded, expanded, kernel: kernel, stride: stride, groups: expanded, act: act, rng: &rng)
        se = squeezed.map { SqueezeExcite(expanded, squeezed: $0, rng: &rng) }
        project = ConvBNAct(expanded, outChannels, kernel: 1, act: .identity, rng: &rng)
        useResidual = stride == 1 && inChannels == outChannels
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        var y = expand.map { $0(x) } ?? x
        y = depthwise(y)
        if let se { y = se(y) }
        y = project(y)
        return useResidual ? x + y : y
    }
}
