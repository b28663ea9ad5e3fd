import Engine
import Foundation
import Results
import SwiftProtobuf
import Zoo

/// A detector as an ONNX model, as YOLOv5's export.py writes one: input `images` [1, 3, S, S],
/// output `output0` [1, N, 5 + nc] — cx, cy, w, h in input pixels, objectness and class scores
/// after the sigmoid — with Detect's decode in the graph and no NMS; `stride` and `names` in the
/// model's metadata.
public enum ONNXExport {
    /// The opset written: every op used exists in the default domain at 17.
    public static let opset = 17

    /// Traces one forward pass of `detector` (fused and in evaluation mode, as deployed) at
    /// `imageSize` and writes it with Detect's decode.
    public static func model(_ detector: Detector, imageSize: Int, names: [String]) -> Onnx_ModelProto {
        let b = ONNXGraphBuilder(name: "studyctl-\(detector.spec)")
        let x = Tensor(zeros: [1, 3, imageSize, imageSize])
        b.bind(x, to: "images")
        b.input("images", dims: [.fixed(1), .fixed(3), .fixed(imageSize), .fixed(imageSize)])
        let (raw, trace) = Trace.recording { Autograd.withoutGrad { detector(x) } }
        TraceToONNX.emit(trace, into: b)
        let rows = decode(raw.map(b.value), shapes: raw.map(\.shape.dims), detector: detector, into: b)
        b.node("Identity", [rows], outputs: ["output0"])
        let count = raw.reduce(0) { $0 + $1.count / $1.shape[4] }
        b.output("output0", dims: [.fixed(1), .fixed(count), .fixed(5 + detector.spec.classes)])

        var model = Onnx_ModelProto()
        model.irVersion = 8
        var opset = Onnx_OperatorSetIdProto()
        (opset.domain, opset.version) = ("", Int64(Self.opset))
        model.opsetImport = [opset]
        model.producerName = "studyctl"
        model.producerVersion = CodeVersion.string
        model.graph = b.graph
        // export.py: d = {'stride': int(max(model.stride)), 'names': model.names}
        let dict = names.enumerated().map { "\($0.offset): '\($0.element.replacingOccurrences(of: "'", with: "\\'"))'" }.joined(separator: ", ")
        model.metadataProps = [("stride", "\(Detect.strides.max()!)"), ("names", "{\(dict)}")].map { key, value in
            var e = Onnx_StringStringEntryProto()
            (e.key, e.value) = (key, value)
            return e
        }
        return model
    }

    /// Detect's inference decode in the graph, per scale [1, 3, H, W, no] → [1, 3·H·W, no]:
    /// xy = (σ·2 + grid − 0.5)·stride, wh = (σ·2)²·anchor, the rest σ; the scales concatenated.
    // yolov5 v7.0 models/yolo.py Detect.forward (export branch) and _make_grid
    static func decode(_ raw: [String], shapes: [[Int]], detector: Detector, into b: ONNXGraphBuilder) -> String {
        let na = detector.detect.anchorsPerScale, no = detector.detect.outputsPerAnchor
        var outputs: [String] = []
        for (scale, (p, shape)) in zip(raw, shapes).enumerated() {
            let (h, w) = (shape[2], shape[3]), stride = Float(Detect.strides[scale])
            var grid: [Float] = []
            for gy in 0..<h { for gx in 0..<w { grid += [Float(gx) - 0.5, Float(gy) - 0.5] } }
            let anchors = (0..<na).flatMap { a in
                [detector.detect.anchors.data[(scale * na + a) * 2] * stride, detector.detect.anchors.data[(scale * na + a) * 2 + 1] * stride]
            }
            let s = b.node("Sigmoid", [p])
            func part(_ from: Int, _ to: Int) -> String {
                b.node("Slice", [s, b.constant(ints: [from]), b.constant(ints: [to]), b.constant(ints: [4])])
            }
            let two = b.constant([2])
            let xy = b.node("Mul", [b.node("Add", [b.node("Mul", [part(0, 2), two]), b.constant(grid, shape: [1, 1, h, w, 2])]),
                                    b.constant([stride])])
            let wh2 = b.node("Mul", [part(2, 4), two])
            let wh = b.node("Mul", [b.node("Mul", [wh2, wh2]), b.constant(anchors, shape: [1, na, 1, 1, 2])])
            let y = b.node("Concat", [xy, wh, part(4, no)], [("axis", .int(4))])
            outputs.append(b.node("Reshape", [y, b.constant(ints: [1, na * h * w, no])]))
        }
        return b.node("Concat", outputs, [("axis", .int(1))])
    }

    /// The model's bytes.
    public static func serialized(_ model: Onnx_ModelProto) throws -> Data { try model.serializedData() }
}
