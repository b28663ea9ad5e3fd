import Engine

/// YOLOv5n's neck: a context module on P5 (SPPF — yolov5n.yaml row 9 — or ASPP), then the PAN of
/// yolov5n.yaml `head:` rows 10–23 at width 0.25 and depth 0.33, with outputs of 64, 128 and 256
/// channels at strides 8, 16 and 32 whatever the backbone. Where a backbone's P3/P4/P5 channels
/// differ from yolov5n's (64/128/256) a 1×1 ConvBNAct adapter brings them to those widths, so
/// with `cspdarknet` and SPPF this is exactly yolov5n.
///
/// p3: [N, C3, H/8, W/8], p4: [N, C4, H/16, W/16], p5: [N, C5, H/32, W/32] →
/// [N, 64, H/8, W/8], [N, 128, H/16, W/16], [N, 256, H/32, W/32].
public final class PAN: Module {
    /// The widths of yolov5n's P3, P4, P5 (rows 4, 6, 9) and of the PAN's outputs.
    public static let widths = [64, 128, 256]

    public let adapt3: ConvBNAct?, adapt4: ConvBNAct?, adapt5: ConvBNAct?
    /// SPPF or ASPP on P5 (row 9).
    public let context: any UnaryLayer
    public let lateral5: ConvBNAct  // 10: Conv(256 → 128, 1, 1)
    public let topDown4: C3  // 13: C3(cat(up(10), P4) 256 → 128, shortcut false)
    public let lateral4: ConvBNAct  // 14: Conv(128 → 64, 1, 1)
    public let topDown3: C3  // 17: C3(cat(up(14), P3) 128 → 64, shortcut false) — P3 out
    public let down3: ConvBNAct  // 18: Conv(64 → 64, 3, 2)
    public let bottomUp4: C3  // 20: C3(cat(18, 14) 128 → 128, shortcut false) — P4 out
    public let down4: ConvBNAct  // 21: Conv(128 → 128, 3, 2)
    public let bottomUp5: C3  // 23: C3(cat(21, 10) 256 → 256, shortcut false) — P5 out

    /// - Parameters:
    ///   - inChannels: the backbone's P3, P4, P5 channels.
    ///   - context: builds the P5 context module from 256 to 256 channels.
    init(inChannels: [Int], context: (inout Philox) -> any UnaryLayer, rng: inout Philox) {
        let (c3, c4, c5) = (Self.widths[0], Self.widths[1], Self.widths[2])
        func adapter(_ from: Int, _ to: Int, _ rng: inout Philox) -> ConvBNAct? {
            from == to ? nil : ConvBNAct(from, to, kernel: 1, rng: &rng)
        }
        adapt3 = adapter(inChannels[0], c3, &rng)
        adapt4 = adapter(inChannels[1], c4, &rng)
        adapt5 = adapter(inChannels[2], c5, &rng)
        self.context = context(&rng)
        lateral5 = ConvBNAct(c5, c4, kernel: 1, rng: &rng)
        topDown4 = C3(2 * c4, c4, n: 1, shortcut: false, rng: &rng)
        lateral4 = ConvBNAct(c4, c3, kernel: 1, rng: &rng)
        topDown3 = C3(2 * c3, c3, n: 1, shortcut: false, rng: &rng)
        down3 = ConvBNAct(c3, c3, kernel: 3, stride: 2, rng: &rng)
        bottomUp4 = C3(2 * c3, c4, n: 1, shortcut: false, rng: &rng)
        down4 = ConvBNAct(c4, c4, kernel: 3, stride: 2, rng: &rng)
        bottomUp5 = C3(2 * c4, c5, n: 1, shortcut: false, rng: &rng)
    }

    /// Nearest 2× upsampling (rows 11 and 15), counted as 1 MAC per output element as thop does.
    private func upsample(_ x: Tensor) -> Tensor {
        let y = upsampleNearest(x, factor: 2)
        MACCounter.record(self, y.count / y.shape[0])
        return y
    }

    public func callAsFunction(_ features: [Tensor]) -> [Tensor] {
        precondition(features.count == 3, "PAN: expected P3, P4, P5, got \(features.count) tensors")
        let p3 = adapt3.map { $0(features[0]) } ?? features[0]
        let p4 = adapt4.map { $0(features[1]) } ?? features[1]
        let p5 = context(adapt5.map { $0(features[2]) } ?? features[2])
        let x10 = lateral5(p5)
        let x13 = topDown4(concat([upsample(x10), p4], axis: 1))
        let x14 = lateral4(x13)
        let out3 = topDown3(concat([upsample(x14), p3], axis: 1))
        let out4 = bottomUp4(concat([down3(out3), x14], axis: 1))
        let out5 = bottomUp5(concat([down4(out4), x10], axis: 1))
        return [out3, out4, out5]
    }
}
