import Engine

/// YOLOv5's standard bottleneck (models/common.py `Bottleneck`): 1×1 then 3×3 ConvBNAct, with a
/// residual when `shortcut` and the widths match. x: [N, c1, H, W] → [N, c2, H, W].
public final class Bottleneck: UnaryLayer {
    public let cv1: ConvBNAct, cv2: ConvBNAct
    public let add: Bool

    public init(_ c1: Int, _ c2: Int, shortcut: Bool = true, expansion: Double = 0.5, rng: inout Philox) {
        let hidden = Int(Double(c2) * expansion)
        cv1 = ConvBNAct(c1, hidden, kernel: 1, rng: &rng)
        cv2 = ConvBNAct(hidden, c2, kernel: 3, rng: &rng)
        add = shortcut && c1 == c2
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let y = cv2(cv1(x))
        return add ? x + y : y
    }
}

/// CSP bottleneck with three convolutions (YOLOv5 models/common.py `C3`):
/// cv3(cat(m(cv1(x)), cv2(x))), hidden width c2/2. x: [N, c1, H, W] → [N, c2, H, W].
public final class C3: UnaryLayer {
    public let cv1: ConvBNAct, cv2: ConvBNAct, cv3: ConvBNAct
    public let m: [Bottleneck]

    public init(_ c1: Int, _ c2: Int, n: Int = 1, shortcut: Bool = true, rng: inout Philox) {
        let hidden = c2 / 2
        cv1 = ConvBNAct(c1, hidden, kernel: 1, rng: &rng)
        cv2 = ConvBNAct(c1, hidden, kernel: 1, rng: &rng)
        cv3 = ConvBNAct(2 * hidden, c2, kernel: 1, rng: &rng)
        var blocks: [Bottleneck] = []
        for _ in 0..<n { blocks.append(Bottleneck(hidden, hidden, shortcut: shortcut, expansion: 1, rng: &rng)) }
        m = blocks
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let y = m.reduce(cv1(x)) { h, block in block(h) }
        return cv3(concat([y, cv2(x)], axis: 1))
    }
}
