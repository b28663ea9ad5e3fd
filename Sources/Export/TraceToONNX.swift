import Engine

/// The ops of a trace as ONNX nodes of the default domain at opset 17, one engine op after
/// another, each with the attributes that give PyTorch's result (torch.onnx's mapping).
enum TraceToONNX {
    /// Emits every node; with `dynamic`, reshapes take symbolic batch and image sizes from it.
    static func emit(_ trace: Trace, into b: ONNXGraphBuilder, dynamic: inout DynamicShapes?) throws(ExportError) {
        for (i, node) in trace.nodes.enumerated() {
            let ins = node.inputs.map(b.value)
            let output: String
            if var d = dynamic {
                let other = d.other[i]
                output = try emitDynamic(node, other, ins, b, d)
                d.note(output, first: node.output.shape.dims, second: other.output.shape.dims)
                dynamic = d
            } else {
                output = emit(node, ins, b)
            }
            b.bind(node.output, to: output)
        }
    }

    /// A node whose shapes may be symbolic: only a reshape's or expand's target depends on them; any other
    /// op must be the same in both traces.
    static func emitDynamic(_ node: Trace.Node, _ other: Trace.Node, _ ins: [String], _ b: ONNXGraphBuilder,
                            _ d: DynamicShapes) throws(ExportError) -> String {
        if case .reshape(let first) = node.op, case .reshape(let second) = other.op {
            let target = try d.reshapeTarget(ins[0], inFirst: node.inputs[0].shape.dims, inSecond: other.inputs[0].shape.dims,
                                             first: first, second: second, into: b)
            return b.node("Reshape", [ins[0], target])
        }
        if case .expand(let first) = node.op, case .expand(let second) = other.op {
            let target = try d.expandTarget(ins[0], inFirst: node.inputs[0].shape.dims, inSecond: other.inputs[0].shape.dims,
                                            first: first, second: second, into: b)
            return b.node("Expand", [ins[0], target])
        }
        guard node.op == other.op else {
            throw .failed("--dynamic: the op \(node.op) depends on the image size (\(other.op) at another size)")
        }
        return emit(node, ins, b)
    }

    static func emit(_ node: Trace.Node, _ ins: [String], _ b: ONNXGraphBuilder) -> String {
        switch node.op {
        case .conv2d(let s, let p, let d, let groups):
            let w = node.inputs[1].shape
            return b.node("Conv", ins, [("kernel_shape", .ints([w[2], w[3]])), ("strides", .ints([s, s])),
                                        ("pads", .ints([p, p, p, p])), ("dilations", .ints([d, d])), ("group", .int(groups))])
        case .activation(let kind):
            return activation(kind, ins[0], b)
        case .add: return b.node("Add", ins)
        case .sub: return b.node("Sub", ins)
        case .mul: return b.node("Mul", ins)
        case .div: return b.node("Div", ins)
        case .affine(let scale, let shift):
            var v = ins[0]
            if scale != 1 { v = b.node("Mul", [v, b.constant([scale])]) }
            if shift != 0 { v = b.node("Add", [v, b.constant([shift])]) }
            return v == ins[0] ? b.node("Identity", [v]) : v
        case .concat(let axis):
            return b.node("Concat", ins, [("axis", .int(axis))])
        case .slice(let axis, let start, let end):
            return b.node("Slice", ins + [b.constant(ints: [start]), b.constant(ints: [end]), b.constant(ints: [axis])])
        case .maxPool(let k, let s, let p):
            return b.node("MaxPool", ins, [("kernel_shape", .ints([k, k])), ("strides", .ints([s, s])), ("pads", .ints([p, p, p, p]))])
        case .avgPool(let k, let s, let p):
            return b.node("AveragePool", ins, [("kernel_shape", .ints([k, k])), ("strides", .ints([s, s])),
                                               ("pads", .ints([p, p, p, p])), ("count_include_pad", .int(1))])
        case .globalAvgPool:
            return b.node("GlobalAveragePool", ins)
        case .upsampleNearest(let f):
            // nn.Upsample(scale_factor=f, mode='nearest') as torch.onnx writes it
            return b.node("Resize", [ins[0], "", b.constant([1, 1, Float(f), Float(f)], shape: [4])],
                          [("mode", .string("nearest")), ("coordinate_transformation_mode", .string("asymmetric")),
                           ("nearest_mode", .string("floor"))])
        case .reshape(let dims):
            return b.node("Reshape", [ins[0], b.constant(ints: dims)])
        case .expand(let dims):
            return b.node("Expand", [ins[0], b.constant(ints: dims)])
        case .permute(let order):
            return b.node("Transpose", ins, [("perm", .ints(order))])
        case .batchNorm(let eps):
            return b.node("BatchNormalization", ins, [("epsilon", .float(eps))])
        case .linear:
            return b.node("Gemm", ins, [("transB", .int(1))])
        }
    }

    static func activation(_ kind: Activation, _ x: String, _ b: ONNXGraphBuilder) -> String {
        switch kind {
        case .identity: return b.node("Identity", [x])
        case .relu: return b.node("Relu", [x])
        case .relu6: return b.node("Clip", [x, b.constant([0]), b.constant([6])])
        case .silu: return b.node("Mul", [x, b.node("Sigmoid", [x])])  // opset 17 has no SiLU; torch.onnx writes x·σ(x)
        case .sigmoid: return b.node("Sigmoid", [x])
        case .hardsigmoid: return b.node("HardSigmoid", [x], [("alpha", .float(1.0 / 6)), ("beta", .float(0.5))])  // relu6(x + 3) / 6
        case .hardswish: return b.node("HardSwish", [x])
        case .leakyRelu(let slope): return b.node("LeakyRelu", [x], [("alpha", .float(slope))])
        }
    }
}
