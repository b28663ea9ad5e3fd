import Engine
import Foundation
import SwiftProtobuf

/// Runs an ONNX detector on the engine (`studyctl detect --weights model.onnx`): the ops studyctl's
/// export writes, and the few more YOLOv5's export.py writes (Split, Pow, Constant).
///
/// The file is untrusted: every op checks its inputs' shapes and attributes before an engine op
/// sees them, so a bad file is one error line, never a trap.
public final class ONNXRunner {
    public let file: String
    /// The image input's name and dims (nil where symbolic).
    public let inputName: String
    public let inputDims: [Int?]
    public let outputName: String
    /// `names` from the metadata (export.py's `{0: 'person', …}`), empty when absent.
    public let names: [String]
    let nodes: [Onnx_NodeProto]
    let constants: [String: ONNXValue]

    /// Reads and checks `path`: a model of the default domain, one float image input, its
    /// initializers' sizes consistent with their bytes.
    public init(path: String) throws(ONNXRunError) {
        file = path
        guard let data = FileManager.default.contents(atPath: path) else { throw ONNXRunError("\(path): cannot read the file") }
        let model: Onnx_ModelProto
        do { model = try Onnx_ModelProto(serializedBytes: data) } catch {
            throw ONNXRunError("\(path): not an ONNX model (\(error))")
        }
        guard let opset = model.opsetImport.first(where: { $0.domain.isEmpty || $0.domain == "ai.onnx" })?.version, (11...21).contains(opset) else {
            throw ONNXRunError("\(path): needs opset 11 to 21 of the default ONNX domain")
        }
        let graph = model.graph
        let initialized = Set(graph.initializer.map(\.name))
        let inputs = graph.input.filter { !initialized.contains($0.name) }
        guard inputs.count == 1, let input = inputs.first, graph.output.count >= 1 else {
            throw ONNXRunError("\(path): expected one image input and an output, found \(inputs.count) inputs and \(graph.output.count) outputs")
        }
        (inputName, outputName) = (input.name, graph.output[0].name)
        inputDims = input.type.tensorType.shape.dim.map { if case .dimValue(let v)? = $0.value { Int(clamping: v) } else { nil } }
        guard inputDims.count == 4 else { throw ONNXRunError("\(path): the input \(inputName) is not [N, 3, H, W]") }
        var constants: [String: ONNXValue] = [:]
        for t in graph.initializer { constants[t.name] = try Self.value(t, label: "\(path): initializer \(t.name)") }
        self.constants = constants
        nodes = graph.node
        let meta = Dictionary(model.metadataProps.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        names = meta["names"].map(Self.parseNames) ?? []
    }

    /// export.py's `{0: 'person', 1: 'bicycle'}`, in index order.
    static func parseNames(_ text: String) -> [String] {
        var names: [Int: String] = [:]
        let pattern = try! NSRegularExpression(pattern: #"(\d+)\s*:\s*'((?:[^'\\]|\\.)*)'"#)
        for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            guard let i = Range(m.range(at: 1), in: text).flatMap({ Int(text[$0]) }), let r = Range(m.range(at: 2), in: text) else { continue }
            names[i] = String(text[r]).replacingOccurrences(of: "\\'", with: "'")
        }
        return names.keys.sorted().map { names[$0]! }
    }

    /// A TensorProto as a value: float32 or int64, from raw bytes or the typed fields, sized as its dims say.
    static func value(_ t: Onnx_TensorProto, label: String) throws(ONNXRunError) -> ONNXValue {
        let dims = t.dims.map { Int(clamping: $0) }
        guard let count = onnxCount(dims) else { throw ONNXRunError("\(label): dims \(dims) are negative or too large") }
        switch t.dataType {
        case 1:
            var values: [Float]
            if !t.rawData.isEmpty {
                guard t.rawData.count == count * 4 else { throw ONNXRunError("\(label): \(t.rawData.count) bytes for \(count) floats") }
                values = t.rawData.withUnsafeBytes { raw in (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) } }
            } else {
                guard t.floatData.count == count else { throw ONNXRunError("\(label): \(t.floatData.count) floats for dims \(dims)") }
                values = t.floatData
            }
            guard count > 0 else { return .ints([], shape: dims) }  // an empty input (Resize's roi): no values to hold
            if dims.isEmpty { values = [values[0]] }
            return .floats(Tensor(values, shape: Shape(dims.isEmpty ? [1] : dims)))
        case 7:
            if !t.rawData.isEmpty {
                guard t.rawData.count == count * 8 else { throw ONNXRunError("\(label): \(t.rawData.count) bytes for \(count) int64s") }
                let ints = t.rawData.withUnsafeBytes { raw in (0..<count).map { Int(clamping: Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self))) } }
                return .ints(ints, shape: dims)
            }
            guard t.int64Data.count == count else { throw ONNXRunError("\(label): \(t.int64Data.count) int64s for dims \(dims)") }
            return .ints(t.int64Data.map { Int(clamping: $0) }, shape: dims)
        default:
            throw ONNXRunError("\(label): element type \(t.dataType) (only float32 and int64 are read)")
        }
    }

    /// The graph's first output for the image batch `x` ([N, 3, H, W]).
    public func run(_ x: Tensor) throws(ONNXRunError) -> Tensor {
        for (i, d) in inputDims.enumerated() where d != nil && d != x.shape[i] {
            throw ONNXRunError("\(file): the model takes \(inputName) \(inputDims.map { $0.map(String.init) ?? "?" }), given \(x.shape.dims)")
        }
        var values = constants
        values[inputName] = .floats(x)
        do {
            for node in nodes {
                let inputs = node.input.map { $0.isEmpty ? nil : values[$0] }
                for (name, value) in zip(node.input, inputs) where !name.isEmpty && value == nil {
                    throw ONNXRunError("\(file): node \(node.name) (\(node.opType)): input \(name) is not computed before it")
                }
                let outputs: [ONNXValue]
                do { outputs = try ONNXOps.run(node, inputs) } catch let problem {
                    throw ONNXRunError("\(file): node \(node.name) (\(node.opType)): \(problem.description)")
                }
                guard outputs.count >= node.output.count || node.opType == "Split" && outputs.count == node.output.count else {
                    throw ONNXRunError("\(file): node \(node.name) (\(node.opType)): \(node.output.count) outputs asked for, \(outputs.count) made")
                }
                for (name, value) in zip(node.output, outputs) where !name.isEmpty { values[name] = value }
            }
        }
        guard case .floats(let y)? = values[outputName] else { throw ONNXRunError("\(file): the output \(outputName) is not a float tensor the graph computes") }
        return y
    }
}
