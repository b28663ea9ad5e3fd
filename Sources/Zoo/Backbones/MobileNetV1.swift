import Engine

/// MobileNetV1 — Howard et al., "MobileNets: Efficient Convolutional Neural Networks for Mobile
/// Vision Applications" (2017), Table 1, as timm builds it (`efficientnet.py` `_gen_mobilenet_v1`,
/// `mobilenetv1_100`): ReLU6, channels rounded with `makeDivisible(c·width, 8)`, no head conv.
/// Taps: P3 = last 256-wide block, P4 = last 512-wide block, P5 = last 1024-wide block.
enum MobileNetV1 {
    /// (output channels, repeats, first stride) of the depthwise-separable stages — timm's
    /// `dsa_r1_k3_s1_c64`, `dsa_r2_k3_s2_c128`, `dsa_r2_k3_s2_c256`, `dsa_r6_k3_s2_c512`, `dsa_r2_k3_s2_c1024`.
    static let stages: [(channels: Int, repeats: Int, stride: Int)] = [
        (64, 1, 1),
        (128, 2, 2),
        (256, 2, 2),
        (512, 6, 2),
        (1024, 2, 2),
    ]
    static let stem = 32

    static func backbone(width: Double, rng: inout Philox) -> Backbone {
        var b = BackboneBuilder()
        let stemOut = makeDivisible(Double(stem) * width)
        b.append(ConvBNAct(3, stemOut, kernel: 3, stride: 2, act: .relu6, rng: &rng), stride: 2, channels: stemOut)
        for stage in stages {
            let out = makeDivisible(Double(stage.channels) * width)
            for i in 0..<stage.repeats {
                let s = i == 0 ? stage.stride : 1
                b.append(DepthwiseSeparable(b.outChannels, out, stride: s, rng: &rng), stride: s, channels: out)
            }
        }
        return Backbone(b)
    }

    static let head = ClassifierHead.Kind.linear(bias: true)
}

/// A depthwise 3×3 convolution then a pointwise 1×1, each with BatchNorm and ReLU6, no residual
/// (timm `DepthwiseSeparableConv` with `pw_act`, block type `dsa`).
/// x: [N, in, H, W] → [N, out, H/stride, W/stride].
final class DepthwiseSeparable: UnaryLayer {
    let depthwise: ConvBNAct, pointwise: ConvBNAct

    init(_ inChannels: Int, _ outChannels: Int, stride: Int, rng: inout Philox) {
        depthwise = ConvBNAct(inChannels, inChannels, kernel: 3, stride: stride, groups: inChannels, act: .relu6, rng: &rng)
        pointwise = ConvBNAct(inChannels, outChannels, kernel: 1, act: .relu6, rng: &rng)
    }

    func callAsFunction(_ x: Tensor) -> Tensor { pointwise(depthwise(x)) }
}
