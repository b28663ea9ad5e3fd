import Engine

/// ShuffleNetV2 — Ma et al., "ShuffleNet V2: Practical Guidelines for Efficient CNN Architecture
/// Design" (2018), Table 5, as torchvision builds it (`shufflenetv2.py`). Taps: P3 = stage 2
/// (116 at 1.0×, 48 at 0.5×), P4 = stage 3 (232 / 96), P5 = conv5 (1024).
enum ShuffleNetV2 {
    static let repeats = [4, 8, 4]
    /// conv1, stage 2, 3, 4, conv5 output channels per width (the paper's Table 5).
    static func channels(width: Double) -> [Int] {
        width == 0.5 ? [24, 48, 96, 192, 1024] : [24, 116, 232, 464, 1024]
    }

    static func backbone(width: Double, rng: inout Philox) -> Backbone {
        let c = channels(width: width)
        var b = BackboneBuilder()
        b.append(ConvBNAct(3, c[0], kernel: 3, stride: 2, act: .relu, rng: &rng), stride: 2, channels: c[0])
        b.append(MaxPool(kernel: 3, stride: 2, padding: 1), stride: 2, channels: c[0])
        for (stage, n) in repeats.enumerated() {
            for i in 0..<n {
                let stride = i == 0 ? 2 : 1
                b.append(ShuffleV2Unit(b.outChannels, c[stage + 1], stride: stride, rng: &rng), stride: stride, channels: c[stage + 1])
            }
        }
        b.append(ConvBNAct(b.outChannels, c[4], kernel: 1, act: .relu, rng: &rng), channels: c[4])
        return Backbone(b)
    }

    static let head = ClassifierHead.Kind.linear(bias: true)
}

/// The ShuffleNetV2 unit (torchvision `InvertedResidual`): at stride 1 half the channels pass
/// through and the other half go 1×1 → depthwise 3×3 → 1×1; at stride 2 both halves see the
/// whole input (branch1: depthwise 3×3 s2 → 1×1). Concatenated, then a channel shuffle of 2.
/// x: [N, in, H, W] → [N, out, H/stride, W/stride].
final class ShuffleV2Unit: UnaryLayer {
    let branch1: [ConvBNAct]
    let branch2: [ConvBNAct]
    let stride: Int

    init(_ inChannels: Int, _ outChannels: Int, stride: Int, rng: inout Philox) {
        let half = outChannels / 2
        precondition(stride == 2 || inChannels == 2 * half, "ShuffleV2Unit: \(inChannels) → \(outChannels) at stride 1")
        if stride == 2 {
            branch1 = [ConvBNAct(inChannels, inChannels, kernel: 3, stride: 2, groups: inChannels, act: .identity, rng: &rng),
                       ConvBNAct(inChannels, half, kernel: 1, act: .relu, rng: &rng)]
        } else {
            branch1 = []
        }
        branch2 = [ConvBNAct(stride == 2 ? inChannels : half, half, kernel: 1, act: .relu, rng: &rng),
                   ConvBNAct(half, half, kernel: 3, stride: stride, groups: half, act: .identity, rng: &rng),
                   ConvBNAct(half, half, kernel: 1, act: .relu, rng: &rng)]
        self.stride = stride
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        let out: Tensor
        if stride == 1 {
            let halves = split(x, sizes: [x.shape[1] / 2, x.shape[1] / 2], axis: 1)
            out = concat([halves[0], branch2.reduce(halves[1]) { h, l in l(h) }], axis: 1)
        } else {
            out = concat([branch1.reduce(x) { h, l in l(h) }, branch2.reduce(x) { h, l in l(h) }], axis: 1)
        }
        return channelShuffle(out, groups: 2)
    }
}
