import Foundation
import Engine

/// YOLOv5's Detect head (v7.0 models/yolo.py `Detect`): per scale a 1×1 conv with bias to
/// 3 anchors × (5 + nc) outputs, its bias initialised as `_initialize_biases` does.
public final class Detect: Module {
    /// YOLOv5's default anchors in pixels (yolov5n.yaml `anchors`), per scale [w, h] × 3.
    public static let defaultAnchors: [[Float]] = [
        [10, 13, 16, 30, 33, 23],  // P3/8
        [30, 61, 62, 45, 59, 119],  // P4/16
        [116, 90, 156, 198, 373, 326],  // P5/32
    ]
    public static let strides = [8, 16, 32]

    public let heads: [Conv2d]
    /// [3 scales, 3 anchors, 2 (w, h)] in units of each scale's stride, as YOLOv5 keeps them
    /// after building (`m.anchors /= m.stride`); saved with the weights.
    public let anchors: Tensor
    public let classes: Int
    public let anchorsPerScale = 3

    public var bufferKeys: Set<String> { ["anchors"] }

    /// The anchors per level as [w, h] × 3 in grid units, the form YOLOv5's loss takes them in.
    public var gridAnchors: [[Float]] {
        (0..<Self.strides.count).map { level in
            Array(UnsafeBufferPointer(start: anchors.data + level * 2 * anchorsPerScale, count: 2 * anchorsPerScale))
        }
    }
    /// Outputs per anchor: x, y, w, h, objectness and one score per class.
    public var outputsPerAnchor: Int { 5 + classes }

    init(classes: Int, inChannels: [Int], rng: inout Philox) {
        self.classes = classes
        let no = 5 + classes, na = anchorsPerScale
        heads = inChannels.map { Conv2d($0, na * no, kernel: 1, rng: &rng) }
        var grid: [Float] = []
        for (scale, pixels) in Self.defaultAnchors.enumerated() { grid += pixels.map { $0 / Float(Self.strides[scale]) } }
        anchors = Tensor(grid, shape: [3, na, 2])
        // models/yolo.py `_initialize_biases`: objectness for 8 objects per 640 image, class prior 0.6/nc.
        for (head, stride) in zip(heads, Self.strides) {
            let b = head.bias!.data
            for a in 0..<na {
                b[a * no + 4] += Float(log(8 / pow(640 / Double(stride), 2)))
                for c in 0..<classes { b[a * no + 5 + c] += Float(log(0.6 / (Double(classes) - 0.99999))) }
            }
        }
    }

    /// The raw predictions for training: per scale [N, 3, H, W, 5 + nc] (YOLOv5's layout for
    /// the loss), from the neck's [N, C_i, H_i, W_i].
    public func callAsFunction(_ features: [Tensor]) -> [Tensor] {
        zip(heads, features).map { head, x in
            let y = head(x)
            let (n, _, h, w) = y.shape.nchw("Detect")
            return permute(reshape(y, [n, anchorsPerScale, outputsPerAnchor, h, w]), [0, 1, 3, 4, 2])
        }
    }

    /// Decodes raw predictions into boxes for inference (v7.0 `Detect.forward`, not training):
    /// xy = (σ·2 − 0.5 + grid)·stride, wh = (σ·2)²·anchor, objectness and class scores σ.
    /// → [N, Σ 3·H·W, 5 + nc]: cx, cy, w, h in input pixels, objectness, class probabilities.
    public func decode(_ raw: [Tensor]) -> Tensor {
        let no = outputsPerAnchor, na = anchorsPerScale
        let n = raw[0].shape[0]
        let rows = raw.reduce(0) { $0 + $1.count / n / no }
        let out = Tensor(zeros: [n, rows, no])
        var offset = 0
        for (scale, p) in raw.enumerated() {
            let (h, w) = (p.shape[2], p.shape[3]), stride = Float(Self.strides[scale])
            for img in 0..<n {
                for a in 0..<na {
                    let (aw, ah) = (anchors.data[(scale * na + a) * 2] * stride, anchors.data[(scale * na + a) * 2 + 1] * stride)
                    for gy in 0..<h {
                        for gx in 0..<w {
                            let src = p.data + (((img * na + a) * h + gy) * w + gx) * no
                            let dst = out.data + (img * rows + offset + (a * h + gy) * w + gx) * no
                            for k in 0..<no { dst[k] = 1 / (1 + Foundation.exp(-src[k])) }
                            dst[0] = (dst[0] * 2 - 0.5 + Float(gx)) * stride
                            dst[1] = (dst[1] * 2 - 0.5 + Float(gy)) * stride
                            dst[2] = (dst[2] * 2) * (dst[2] * 2) * aw
                            dst[3] = (dst[3] * 2) * (dst[3] * 2) * ah
                        }
                    }
                }
            }
            offset += na * h * w
        }
        return out
    }
}
