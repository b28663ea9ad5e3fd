import Engine

/// GhostNet — Han et al., "GhostNet: More Features from Cheap Operations" (2020), Table 7, as timm
/// builds it (`ghostnet.py`, `ghostnet_100`): ghost bottlenecks with ReLU, SE squeezing to
/// `makeDivisible(mid / 4, 4)` with a hard-sigmoid gate, a final 1×1 ConvBNAct to 960.
/// Taps: P3 = last 40-wide block, P4 = last 112-wide block, P5 = the 1×1 conv to 960.
enum GhostNet {
    /// k (depthwise kernel), t (expanded width), c (output), SE ratio, s (stride) — timm `cfgs`.
    static let rows: [(k: Int, t: Int, c: Int, se: Double, s: Int)] = [
        (3, 16, 16, 0, 1),  // stage 1
        (3, 48, 24, 0, 2),  // stage 2
        (3, 72, 24, 0, 1),
        (5, 72, 40, 0.25, 2),  // stage 3
        (5, 120, 40, 0.25, 1),
        (3, 240, 80, 0, 2),  // stage 4
        (3, 200, 80, 0, 1),
        (3, 184, 80, 0, 1),
        (3, 184, 80, 0, 1),
        (3, 480, 112, 0.25, 1),
        (3, 672, 112, 0.25, 1),
        (5, 672, 160, 0.25, 2),  // stage 5
        (5, 960, 160, 0, 1),
        (5, 960, 160, 0.25, 1),
        (5, 960, 160, 0, 1),
        (5, 960, 160, 0.25, 1),
    ]
    static let stem = 16, last = 960

    static func backbone(rng: inout Philox) -> Backbone {
        var b = BackboneBuilder()
        b.append(ConvBNAct(3, stem, kernel: 3, stride: 2, act: .relu, rng: &rng), stride: 2, channels: stem)
        for r in rows {
            b.append(GhostBottleneck(b.outChannels, mid: r.t, r.c, kernel: r.k, stride: r.s,
                                     squeezed: r.se > 0 ? makeDivisible(Double(r.t) * r.se, 4) : nil, rng: &rng),
                     stride: r.s, channels: r.c)
        }
        b.append(ConvBNAct(b.outChannels, last, kernel: 1, act: .relu, rng: &rng), channels: last)
        return Backbone(b)
    }

    /// timm's `conv_head` (1×1 to 1280 with bias, ReLU) then the classifier.
    static let head = ClassifierHead.Kind.convHead(1280)
}

/// The ghost module (timm `GhostModule`, ratio 2): a 1×1 ConvBNAct makes ⌈out/2⌉ channels and a
/// depthwise 3×3 makes as many "ghosts" of them; the concatenation is cut to `out`.
/// x: [N, in, H, W] → [N, out, H, W].
final class GhostModule: UnaryLayer {
    let primary: ConvBNAct, cheap: ConvBNAct
    let outChannels: Int

    init(_ inChannels: Int, _ outChannels: Int, act: Activation, rng: inout Philox) {
        let initChannels = (outChannels + 1) / 2
        primary = ConvBNAct(inChannels, initChannels, kernel: 1, act: act, rng: &rng)
        cheap = ConvBNAct(initChannels, initChannels, kernel: 3, groups: initChannels, act: act, rng: &rng)
        self.outChannels = outChannels
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        let x1 = primary(x)
        let out = concat([x1, cheap(x1)], axis: 1)
        return out.shape[1] == outChannels ? out : slice(out, axis: 1, 0..<outChannels)
    }
}

/// The ghost bottleneck (timm `GhostBottleneck`): ghost module (ReLU) → depthwise k×k at stride 2
/// when downsampling → SE → ghost module (linear), plus the input, or at a change of shape a
/// depthwise k×k + 1×1 shortcut. x: [N, in, H, W] → [N, out, H/stride, W/stride].
final class GhostBottleneck: UnaryLayer {
    let ghost1: GhostModule
    let depthwise: ConvBNAct?
    let se: SqueezeExcite?
    let ghost2: GhostModule
    let shortcut: [ConvBNAct]

    init(_ inChannels: Int, mid: Int, _ outChannels: Int, kernel: Int, stride: Int, squeezed: Int?, rng: inout Philox) {
        ghost1 = GhostModule(inChannels, mid, act: .relu, rng: &rng)
        depthwise = stride > 1
            ? ConvBNAct(mid, mid, kernel: kernel, stride: stride, groups: mid, act: .identity, rng: &rng) : nil
        se = squeezed.map { SqueezeExcite(mid, squeezed: $0, rng: &rng) }
        ghost2 = GhostModule(mid, outChannels, act: .identity, rng: &rng)
        shortcut = inChannels == outChannels && stride == 1 ? [] : [
            ConvBNAct(inChannels, inChannels, kernel: kernel, stride: stride, groups: inChannels, act: .identity, rng: &rng),
            ConvBNAct(inChannels, outChannels, kernel: 1, act: .identity, rng: &rng),
        ]
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        var y = ghost1(x)
        if let depthwise { y = depthwise(y) }
        if let se { y = se(y) }
        y = ghost2(y)
        return y + shortcut.reduce(x) { h, l in l(h) }
    }
}
