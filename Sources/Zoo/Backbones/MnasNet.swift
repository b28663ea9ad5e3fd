import Engine

/// MnasNet-B1 — Tan et al., "MnasNet: Platform-Aware Neural Architecture Search for Mobile"
/// (2019), Fig. 7, as torchvision builds it (`mnasnet.py`, `mnasnet1_0` / `mnasnet0_5`): ReLU,
/// depths `makeDivisible(d·width, 8)`, BatchNorm momentum 1 − 0.9997. Taps: P3 = last 40-wide
/// block (24 at 0.5), P4 = last 96-wide block (48), P5 = the 1×1 conv to 1280.
enum MnasNet {
    /// Stem depth, separable-conv output, then the six stacks' outputs (torchvision `_get_depths`).
    static let depths = [32, 16, 24, 40, 80, 96, 192, 320]
    /// Per stack: kernel, first stride, expansion, repeats (torchvision `_stack` calls).
    static let stacks: [(kernel: Int, stride: Int, expansion: Int, repeats: Int)] = [
        (3, 2, 3, 3),
        (5, 2, 3, 3),
        (5, 2, 6, 3),
        (3, 1, 6, 2),
        (5, 2, 6, 4),
        (3, 1, 6, 1),
    ]
    static let last = 1280

    static func backbone(width: Double, rng: inout Philox) -> Backbone {
        let d = depths.map { makeDivisible(Double($0) * width) }
        var b = BackboneBuilder()
        b.append(ConvBNAct(3, d[0], kernel: 3, stride: 2, act: .relu, rng: &rng), stride: 2, channels: d[0])
        b.append(ConvBNAct(d[0], d[0], kernel: 3, groups: d[0], act: .relu, rng: &rng), channels: d[0])
        b.append(ConvBNAct(d[0], d[1], kernel: 1, act: .identity, rng: &rng), channels: d[1])
        for (i, stack) in stacks.enumerated() {
            for r in 0..<stack.repeats {
                let stride = r == 0 ? stack.stride : 1, inChannels = b.outChannels
                b.append(InvertedResidual(inChannels, d[i + 2], kernel: stack.kernel, stride: stride,
                                          expanded: inChannels * stack.expansion, act: .relu, alwaysExpand: true, rng: &rng),
                         stride: stride, channels: d[i + 2])
            }
        }
        b.append(ConvBNAct(b.outChannels, last, kernel: 1, act: .relu, rng: &rng), channels: last)
        let backbone = Backbone(b)
        backbone.setBatchNorm(eps: 1e-5, momentum: 1 - 0.9997)
        return backbone
    }

    static let head = ClassifierHead.Kind.linear(bias: true)
}
