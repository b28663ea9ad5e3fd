import Engine

/// CSPDarknet, the backbone of YOLOv5n v7.0 — rows 0–8 of ultralytics/yolov5 `models/yolov5n.yaml`
/// scaled by depth 0.33 and width 0.25 as `parse_model` does. Row 9 (SPPF) belongs to the
/// `pan-sppf` neck. Taps: P3 = row 4 (64), P4 = row 6 (128), P5 = row 8 (256).
enum CSPDarknet {
    /// A yaml row's module and arguments, before scaling.
    enum Row {
        /// Conv(c2, k, s, p) — YOLOv5 `Conv`, autopad when p is nil.
        case conv(Int, kernel: Int, stride: Int, padding: Int? = nil)
        /// C3(c2) repeated `n` times (before the depth gain).
        case c3(Int, n: Int)
    }

    /// yolov5n.yaml `backbone:` rows 0–8.
    static let rows: [Row] = [
        .conv(64, kernel: 6, stride: 2, padding: 2),  // 0-P1/2
        .conv(128, kernel: 3, stride: 2),  // 1-P2/4
        .c3(128, n: 3),  // 2
        .conv(256, kernel: 3, stride: 2),  // 3-P3/8
        .c3(256, n: 6),  // 4
        .conv(512, kernel: 3, stride: 2),  // 5-P4/16
        .c3(512, n: 9),  // 6
        .conv(1024, kernel: 3, stride: 2),  // 7-P5/32
        .c3(1024, n: 3),  // 8
    ]

    static let depthMultiple = 0.33, widthMultiple = 0.25

    /// YOLOv5 `parse_model` width gain: make_divisible(c·gw, 8) with YOLOv5's ceil rounding
    /// (utils/general.py `make_divisible`).
    static func width(_ c: Int) -> Int { Int((Double(c) * widthMultiple / 8).rounded(.up)) * 8 }

    /// YOLOv5 `parse_model` depth gain: max(round(n·gd), 1) for n > 1.
    static func depth(_ n: Int) -> Int { n > 1 ? max(Int((Double(n) * depthMultiple).rounded()), 1) : n }

    static func backbone(rng: inout Philox) -> Backbone {
        var b = BackboneBuilder()
        for row in rows {
            switch row {
            case let .conv(c2, kernel, stride, padding):
                let out = width(c2)
                b.append(ConvBNAct(b.outChannels, out, kernel: kernel, stride: stride, padding: padding, rng: &rng),
                         stride: stride, channels: out)
            case let .c3(c2, n):
                let out = width(c2)
                b.append(C3(b.outChannels, out, n: depth(n), rng: &rng), channels: out)
            }
        }
        return Backbone(b)
    }
}
