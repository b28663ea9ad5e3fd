import Engine

/// ShuffleNetV1 — Zhang et al., "ShuffleNet: An Extremely Efficient Convolutional Neural Network
/// for Mobile Devices" (2017), Table 1, g = 3 at 1.0×, as the official release builds it
/// (megvii-model/ShuffleNet-Series `ShuffleNetV1/network.py`, `blocks.py`): bottleneck width
/// out/4, the first pointwise conv of stage 2 ungrouped, classifier without bias.
/// Taps: P3 = stage 2 (240), P4 = stage 3 (480), P5 = stage 4 (960).
enum ShuffleNetV1 {
    static let groups = 3
    static let repeats = [4, 8, 4]
    /// conv1, stage 2, 3, 4 output channels for g = 3, 1.0× (Table 1).
    static let channels = [24, 240, 480, 960]

    static func backbone(rng: inout Philox) -> Backbone {
        var b = BackboneBuilder()
        b.append(ConvBNAct(3, channels[0], kernel: 3, stride: 2, act: .relu, rng: &rng), stride: 2, channels: channels[0])
        b.append(MaxPool(kernel: 3, stride: 2, padding: 1), stride: 2, channels: channels[0])
        for (stage, n) in repeats.enumerated() {
            for i in 0..<n {
                let stride = i == 0 ? 2 : 1
                b.append(ShuffleV1Unit(b.outChannels, channels[stage + 1], groups: groups, firstGroup: stage == 0 && i == 0,
                                       stride: stride, rng: &rng), stride: stride, channels: channels[stage + 1])
            }
        }
        return Backbone(b)
    }

    static let head = ClassifierHead.Kind.linear(bias: false)
}

/// The ShuffleNet unit (official `ShuffleV1Block`): grouped 1×1 → depthwise 3×3 → channel
/// shuffle → grouped 1×1 (the release shuffles after the depthwise conv, the paper's Fig. 2
/// before it; both are the same permutation of a per-channel op); at stride 1 added to the input then ReLU, at stride 2 concatenated with a
/// 3×3 average pool of the input (the grouped conv then makes out − in channels).
/// x: [N, in, H, W] → [N, out, H/stride, W/stride].
final class ShuffleV1Unit: UnaryLayer {
    let pw1: ConvBNAct, dw: ConvBNAct, pw2: ConvBNAct
    let groups: Int, stride: Int

    init(_ inChannels: Int, _ outChannels: Int, groups: Int, firstGroup: Bool, stride: Int, rng: inout Philox) {
        let mid = outChannels / 4, out = stride == 2 ? outChannels - inChannels : outChannels
        pw1 = ConvBNAct(inChannels, mid, kernel: 1, groups: firstGroup ? 1 : groups, act: .relu, rng: &rng)
        dw = ConvBNAct(mid, mid, kernel: 3, stride: stride, groups: mid, act: .identity, rng: &rng)
        pw2 = ConvBNAct(mid, out, kernel: 1, groups: groups, act: .identity, rng: &rng)
        (self.groups, self.stride) = (groups, stride)
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        var y = dw(pw1(x))
        // The official channel_shuffle views [N, C/g, g] and transposes: a shuffle with C/g groups.
        if groups > 1 { y = channelShuffle(y, groups: y.shape[1] / groups) }
        y = pw2(y)
        if stride == 1 { return relu(x + y) }
        return concat([avgPool2d(x, kernel: 3, stride: 2, padding: 1), relu(y)], axis: 1)
    }
}
