import Engine

/// MobileNetV3 — Howard et al., "Searching for MobileNetV3" (2019), Tables 1 (Large) and 2
/// (Small), as torchvision builds them (`mobilenetv3.py` `_mobilenet_v3_conf`): hardswish stem,
/// SE squeezing to `makeDivisible(expanded / 4, 8)` with a hard-sigmoid gate, last conv 6× the
/// last block, BatchNorm eps 1e-3 and momentum 0.01. Taps — Large: P3 = last 40-wide block
/// (features.6), P4 = last 112-wide block (features.12), P5 = last conv 960 (features.16);
/// Small: 24 (features.3), 48 (features.8), last conv 576 (features.12).
enum MobileNetV3 {
    /// One bneck row: input, kernel, expanded, output, SE, activation ("RE" relu / "HS" hardswish), stride.
    struct Bneck {
        let input: Int, kernel: Int, expanded: Int, output: Int, se: Bool, act: Activation, stride: Int
        init(_ input: Int, _ kernel: Int, _ expanded: Int, _ output: Int, _ se: Bool, _ act: String, _ stride: Int) {
            (self.input, self.kernel, self.expanded, self.output, self.se, self.stride) = (input, kernel, expanded, output, se, stride)
            self.act = act == "HS" ? .hardswish : .relu
        }
    }

    static let large: [Bneck] = [
        Bneck(16, 3, 16, 16, false, "RE", 1),
        Bneck(16, 3, 64, 24, false, "RE", 2),  // C1
        Bneck(24, 3, 72, 24, false, "RE", 1),
        Bneck(24, 5, 72, 40, true, "RE", 2),  // C2
        Bneck(40, 5, 120, 40, true, "RE", 1),
        Bneck(40, 5, 120, 40, true, "RE", 1),
        Bneck(40, 3, 240, 80, false, "HS", 2),  // C3
        Bneck(80, 3, 200, 80, false, "HS", 1),
        Bneck(80, 3, 184, 80, false, "HS", 1),
        Bneck(80, 3, 184, 80, false, "HS", 1),
        Bneck(80, 3, 480, 112, true, "HS", 1),
        Bneck(112, 3, 672, 112, true, "HS", 1),
        Bneck(112, 5, 672, 160, true, "HS", 2),  // C4
        Bneck(160, 5, 960, 160, true, "HS", 1),
        Bneck(160, 5, 960, 160, true, "HS", 1),
    ]

    static let small: [Bneck] = [
        Bneck(16, 3, 16, 16, true, "RE", 2),  // C1
        Bneck(16, 3, 72, 24, false, "RE", 2),  // C2
        Bneck(24, 3, 88, 24, false, "RE", 1),
        Bneck(24, 5, 96, 40, true, "HS", 2),  // C3
        Bneck(40, 5, 240, 40, true, "HS", 1),
        Bneck(40, 5, 240, 40, true, "HS", 1),
        Bneck(40, 5, 120, 48, true, "HS", 1),
        Bneck(48, 5, 144, 48, true, "HS", 1),
        Bneck(48, 5, 288, 96, true, "HS", 2),  // C4
        Bneck(96, 5, 576, 96, true, "HS", 1),
        Bneck(96, 5, 576, 96, true, "HS", 1),
    ]

    static func backbone(_ rows: [Bneck], rng: inout Philox) -> Backbone {
        var b = BackboneBuilder()
        b.append(ConvBNAct(3, rows[0].input, kernel: 3, stride: 2, act: .hardswish, rng: &rng), stride: 2, channels: rows[0].input)
        for r in rows {
            b.append(InvertedResidual(r.input, r.output, kernel: r.kernel, stride: r.stride, expanded: r.expanded, act: r.act,
                                      squeezed: r.se ? makeDivisible(Double(r.expanded / 4)) : nil, rng: &rng),
                     stride: r.stride, channels: r.output)
        }
        let lastConv = 6 * rows.last!.output
        b.append(ConvBNAct(b.outChannels, lastConv, kernel: 1, act: .hardswish, rng: &rng), channels: lastConv)
        let backbone = Backbone(b)
        backbone.setBatchNorm(eps: 1e-3, momentum: 0.01)
        return backbone
    }

    /// torchvision's `last_channel`: 1280 (Large), 1024 (Small).
    static func head(_ rows: [Bneck]) -> ClassifierHead.Kind { .hidden(rows.count == large.count ? 1280 : 1024) }
}
