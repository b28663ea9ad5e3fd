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
    /// The opset written by default, as export.py's --opset; every op used exists in the default
    /// domain from `opsets.lowerBound` (HardSwish came at 14) on.
    public static let opset = 17
    public static let opsets = 14...17

    /// Traces one forward pass of `detector` (fused and in evaluation mode, as deployed) at
    /// `imageSize` and writes it with Detect's decode; `dynamic` makes the batch, height and width
    /// symbolic (export.py --dynamic), from a second trace at another batch and size.
    public static func model(_ detector: Detector, imageSize: Int, names: [String], opset: Int = opset, dynamic: Bool = false) throws(ExportError) -> Onnx_ModelProto {
        let b = ONNXGraphBuilder(name: "studyctl-\(detector.spec)")
        let x = Tensor(zeros: [1, 3, imageSize, imageSize])
        b.bind(x, to: "images")
        let (raw, trace) = Trace.recording { Autograd.withoutGrad { detector(x) } }
        let count = raw.reduce(0) { $0 + $1.count / $1.shape[4] }
        let rows: String
        if dynamic {
            let other = Tensor(zeros: [2, 3, imageSize + 32, imageSize + 64])
            let (_, second) = Trace.recording { Autograd.withoutGrad { detector(other) } }
            var shapes: DynamicShapes? = DynamicShapes(other: second)
            shapes?.note("images", first: x.shape.dims, second: other.shape.dims)
            b.input("images", dims: [.symbol("batch"), .fixed(3), .symbol("height"), .symbol("width")])
            try TraceToONNX.emit(trace, into: b, dynamic: &shapes)
            rows = decodeDynamic(raw.map(b.value), detector: detector, into: b)
            b.output("output0", dims: [.symbol("batch"), .symbol("anchors"), .fixed(5 + detector.spec.classes)])
        } else {
            var none: DynamicShapes?
            b.input("images", dims: [.fixed(1), .fixed(3), .fixed(imageSize), .fixed(imageSize)])
            try TraceToONNX.emit(trace, into: b, dynamic: &none)
            rows = decode(raw.map(b.value), shapes: raw.map(\.shape.dims), detector: detector, into: b)
            b.output("output0", dims: [.fixed(1), .fixed(count), .fixed(5 + detector.spec.classes)])
        }
        b.node("Identity", [rows], outputs: ["output0"])

        var model = Onnx_ModelProto()
        model.irVersion = 8
        var domain = Onnx_OperatorSetIdProto()
        (domain.domain, domain.version) = ("", Int64(opset))
        model.opsetImport = [domain]
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

    /// `decode` with the grid made in the graph from each scale's Shape, so any batch, height and
    /// width run: x offsets Range(W), y offsets Range(H), broadcast to [1, 1, H, W, 2].
    // yolov5 v7.0 models/yolo.py Detect._make_grid under torch.onnx with dynamic axes
    static func decodeDynamic(_ raw: [String], detector: Detector, into b: ONNXGraphBuilder) -> String {
        let na = detector.detect.anchorsPerScale, no = detector.detect.outputsPerAnchor
        var outputs: [String] = []
        for (scale, p) in raw.enumerated() {
            let stride = Float(Detect.strides[scale])
            let anchors = (0..<na).flatMap { a in
                [detector.detect.anchors.data[(scale * na + a) * 2] * stride, detector.detect.anchors.data[(scale * na + a) * 2 + 1] * stride]
            }
            let shape = b.node("Shape", [p])
            func offsets(_ axis: Int, _ view: [Int]) -> String {
                let n = b.node("Gather", [shape, b.scalar(int: axis)], [("axis", .int(0))])
                let range = b.node("Range", [b.scalar(int: 0), n, b.scalar(int: 1)])
                let float = b.node("Cast", [range], [("to", .int(Int(ONNXGraphBuilder.float32)))])
                return b.node("Reshape", [float, b.constant(ints: view)])
            }
            let hw = b.node("Slice", [shape, b.constant(ints: [2]), b.constant(ints: [4])])
            let gridShape = b.node("Concat", [b.constant(ints: [1, 1]), hw, b.constant(ints: [1])], [("axis", .int(0))])
            let gx = b.node("Expand", [offsets(3, [1, 1, 1, -1, 1]), gridShape])
            let gy = b.node("Expand", [offsets(2, [1, 1, -1, 1, 1]), gridShape])
            let grid = b.node("Sub", [b.node("Concat", [gx, gy], [("axis", .int(4))]), b.constant([0.5])])
            let s = b.node("Sigmoid", [p])
            func part(_ from: Int, _ to: Int) -> String {
                b.node("Slice", [s, b.constant(ints: [from]), b.constant(ints: [to]), b.constant(ints: [4])])
            }
            let two = b.constant([2])
            let xy = b.node("Mul", [b.node("Add", [b.node("Mul", [part(0, 2), two]), grid]), b.constant([stride])])
            let wh2 = b.node("Mul", [part(2, 4), two])
            let wh = b.node("Mul", [b.node("Mul", [wh2, wh2]), b.constant(anchors, shape: [1, na, 1, 1, 2])])
            let y = b.node("Concat", [xy, wh, part(4, no)], [("axis", .int(4))])
            outputs.append(b.node("Reshape", [y, b.constant(ints: [0, -1, no])]))
        }
        return b.node("Concat", outputs, [("axis", .int(1))])
    }

    /// The model's bytes.
    public static func serialized(_ model: Onnx_ModelProto) throws -> Data { try model.serializedData() }
}
