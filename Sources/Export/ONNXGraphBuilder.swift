import Engine
import Foundation
import SwiftProtobuf

/// Builds one ONNX graph: nodes in order, constants as initializers, each engine tensor named once.
///
/// The protobuf types come from the official onnx.proto (onnx 1.17.0), compiled once with
/// apple/swift-protobuf 1.39.0's protoc-gen-swift into ONNX/onnx.pb.swift (docs/deploy.md).
final class ONNXGraphBuilder {
    private(set) var graph = Onnx_GraphProto()
    private var names: [ObjectIdentifier: String] = [:]
    private var counter = 0

    /// ONNX's element type for float32 (TensorProto.DataType.FLOAT) and int64 (INT64).
    static let float32: Int32 = 1, int64: Int32 = 7

    init(name: String) { graph.name = name }

    /// A fresh value name with `prefix`.
    func fresh(_ prefix: String) -> String {
        counter += 1
        return "\(prefix)_\(counter)"
    }

    /// The graph value of `tensor`: its name if a node made it or it is an input; otherwise it is a
    /// weight, added once as an initializer.
    func value(_ tensor: Tensor) -> String {
        if let name = names[ObjectIdentifier(tensor)] { return name }
        let name = fresh("w")
        initializer(name, floats: Array(UnsafeBufferPointer(start: tensor.data, count: tensor.count)), shape: tensor.shape.dims)
        names[ObjectIdentifier(tensor)] = name
        return name
    }

    /// Names `tensor` as the value `name` (a graph input, or a node's output).
    func bind(_ tensor: Tensor, to name: String) { names[ObjectIdentifier(tensor)] = name }

    func initializer(_ name: String, floats: [Float], shape: [Int]) {
        var t = Onnx_TensorProto()
        t.name = name
        t.dataType = Self.float32
        t.dims = shape.map(Int64.init)
        t.rawData = floats.withUnsafeBufferPointer { Data(buffer: $0) }
        graph.initializer.append(t)
    }

    /// A float constant of `shape` (a scalar when empty), as an initializer.
    func constant(_ floats: [Float], shape: [Int] = []) -> String {
        let name = fresh("c")
        initializer(name, floats: floats, shape: shape)
        return name
    }

    /// An int64 constant (shapes, axes, split sizes), as an initializer.
    func constant(ints: [Int]) -> String {
        let name = fresh("i")
        var t = Onnx_TensorProto()
        t.name = name
        t.dataType = Self.int64
        t.dims = [Int64(ints.count)]
        t.rawData = ints.map(Int64.init).withUnsafeBufferPointer { Data(buffer: $0) }
        graph.initializer.append(t)
        return name
    }

    /// An int64 scalar constant (Range's and Gather's scalar inputs).
    func scalar(int: Int) -> String {
        let name = fresh("i")
        var t = Onnx_TensorProto()
        t.name = name
        t.dataType = Self.int64
        t.rawData = [Int64(int)].withUnsafeBufferPointer { Data(buffer: $0) }
        graph.initializer.append(t)
        return name
    }

    /// An attribute value.
    enum Attribute {
        case int(Int), ints([Int]), float(Float), string(String)
    }

    /// Appends a node of the default domain; returns its (first) output's name.
    @discardableResult
    func node(_ op: String, _ inputs: [String], outputs: [String]? = nil, _ attributes: [(String, Attribute)] = []) -> String {
        var n = Onnx_NodeProto()
        n.opType = op
        n.name = fresh(op)
        n.input = inputs
        n.output = outputs ?? [fresh(op.lowercased())]
        n.attribute = attributes.map { name, value in
            var a = Onnx_AttributeProto()
            a.name = name
            switch value {
            case .int(let v): (a.type, a.i) = (.int, Int64(v))
            case .ints(let v): (a.type, a.ints) = (.ints, v.map(Int64.init))
            case .float(let v): (a.type, a.f) = (.float, v)
            case .string(let v): (a.type, a.s) = (.string, Data(v.utf8))
            }
            return a
        }
        graph.node.append(n)
        return n.output[0]
    }

    /// Declares a graph input or output of float32 with `dims` (an Int, or a String for a symbolic one).
    static func valueInfo(_ name: String, dims: [Dim]) -> Onnx_ValueInfoProto {
        var v = Onnx_ValueInfoProto()
        v.name = name
        var t = Onnx_TypeProto.Tensor()
        t.elemType = float32
        var shape = Onnx_TensorShapeProto()
        shape.dim = dims.map { d in
            var x = Onnx_TensorShapeProto.Dimension()
            switch d {
            case .fixed(let n): x.dimValue = Int64(n)
            case .symbol(let s): x.dimParam = s
            }
            return x
        }
        t.shape = shape
        v.type.tensorType = t
        return v
    }

    enum Dim { case fixed(Int), symbol(String) }

    func input(_ name: String, dims: [Dim]) { graph.input.append(Self.valueInfo(name, dims: dims)) }
    func output(_ name: String, dims: [Dim]) { graph.output.append(Self.valueInfo(name, dims: dims)) }
}
