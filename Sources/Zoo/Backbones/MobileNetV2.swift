import Engine

/// MobileNetV2 — Sandler et al., "MobileNetV2: Inverted Residuals and Linear Bottlenecks" (2018),
/// Table 2, as torchvision builds it (`mobilenetv2.py`): ReLU6, channels `makeDivisible(c·width, 8)`,
/// last conv 1280·max(1, width). Taps: P3 = last 32-wide block (features.6), P4 = last 96-wide
/// block (features.13), P5 = the 1×1 conv to 1280 (features.18).
enum MobileNetV2 {
    /// t (expansion), c (channels), n (repeats), s (first stride) — the paper's Table 2.
    static let settings: [(t: Int, c: Int, n: Int, s: Int)] = [
        (1, 16, 1, 1),
        (6, 24, 2, 2),
        (6, 32, 3, 2),
        (6, 64, 4, 2),
        (6, 96, 3, 1),
        (6, 160, 3, 2),
        (6, 320, 1, 1),
    ]
    static let stem = 32, last = 1280

    static func backbone(width: Double, rng: inout Philox) -> Backbone {
        var b = BackboneBuilder()
        let stemOut = makeDivisible(Double(stem) * width)
        b.append(ConvBNAct(3, stemOut, kernel: 3, stride: 2, act: .relu6, rng: &rng), stride: 2, channels: stemOut)
        for (t, c, n, s) in settings {
            let out = makeDivisible(Double(c) * width)
            for i in 0..<n {
                let stride = i == 0 ? s : 1, inChannels = b.outChannels
                b.append(InvertedResidual(inChannels, out, kernel: 3, stride: stride, expanded: inChannels * t,
                                          act: .relu6, rng: &rng), stride: stride, channels: out)
            }
        }
        let lastOut = makeDivisible(Double(last) * max(1, width))
        b.append(ConvBNAct(b.outChannels, lastOut, kernel: 1, act: .relu6, rng: &rng), channels: lastOut)
        return Backbone(b)
    }

    static let head = ClassifierHead.Kind.linear(bias: true)
}
