import Engine
import Foundation

/// What went wrong in one node, before the runner adds the file and the node.
struct ONNXOpProblem: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Each supported op: its inputs and attributes checked, then the engine's op (inference only).
enum ONNXOps {
    typealias Inputs = [ONNXValue?]

    static func run(_ node: Onnx_NodeProto, _ ins: Inputs) throws(ONNXOpProblem) -> [ONNXValue] {
        let a = Attributes(node)
        switch node.opType {
        case "Identity": return [try any(ins, 0)]
        case "Conv": return [.floats(try conv(ins, a))]
        case "Relu": return [.floats(activation(try floats(ins, 0), .relu))]
        case "Sigmoid": return [.floats(activation(try floats(ins, 0), .sigmoid))]
        case "HardSwish": return [.floats(activation(try floats(ins, 0), .hardswish))]
        case "LeakyRelu": return [.floats(activation(try floats(ins, 0), .leakyRelu(slope: a.float("alpha", 0.01))))]
        case "HardSigmoid":
            return [.floats(clamp(affine(try floats(ins, 0), scale: a.float("alpha", 0.2), shift: a.float("beta", 0.5)), min: 0, max: 1))]
        case "Clip":
            let low = try ins.count > 1 && ins[1] != nil ? scalar(ins, 1) : a.float("min", -.infinity)
            let high = try ins.count > 2 && ins[2] != nil ? scalar(ins, 2) : a.float("max", .infinity)
            return [.floats(clamp(try floats(ins, 0), min: low, max: high))]
        case "Add", "Sub", "Mul", "Div": return [.floats(try binary(node.opType, ins))]
        case "Pow":
            return [.floats(pow(try floats(ins, 0), try scalar(ins, 1)))]
        case "Concat": return [try concatenate(ins, axis: a.int("axis", 0))]
        case "Split": return try splitValues(ins, a, outputs: node.output.count)
        case "Slice": return [try sliceValue(ins)]
        case "Reshape": return [.floats(try reshaped(ins))]
        case "Transpose":
            let x = try floats(ins, 0)
            let perm = a.ints("perm") ?? Array((0..<x.shape.rank).reversed())
            guard perm.sorted() == Array(0..<x.shape.rank) else { throw ONNXOpProblem("perm \(perm) is not a permutation of \(x.shape.rank) dims") }
            return [.floats(permute(x, perm))]
        case "Expand": return [.floats(try expanded(ins))]
        case "MaxPool", "AveragePool": return [.floats(try pool(node.opType, ins, a))]
        case "GlobalAveragePool":
            let x = try floats(ins, 0)
            guard x.shape.rank == 4 else { throw ONNXOpProblem("input \(x.shape.dims) is not [N, C, H, W]") }
            return [.floats(globalAvgPool(x))]
        case "Resize": return [.floats(try resize(ins, a))]
        case "BatchNormalization": return [.floats(try batchNorm(ins, a))]
        case "Gemm": return [.floats(try gemm(ins, a))]
        case "Constant":
            guard let t = a.tensor("value") else { throw ONNXOpProblem("only a tensor `value` is read") }
            do { return [try ONNXRunner.value(t, label: "its value")] } catch { throw ONNXOpProblem(error.description) }
        case "Shape":
            let dims = try any(ins, 0).shape
            let start = a.int("start", 0), end = a.int("end", dims.count)
            let r = (start < 0 ? start + dims.count : start, end < 0 ? end + dims.count : end)
            let lo = min(max(r.0, 0), dims.count), hi = min(max(r.1, lo), dims.count)
            return [.ints(Array(dims[lo..<hi]), shape: [hi - lo])]
        case "Gather": return [try gather(ins, axis: a.int("axis", 0))]
        case "Range": return [try range(ins)]
        case "Cast": return [try cast(ins, to: a.int("to", 0))]
        case "Unsqueeze", "Squeeze": return [try squeeze(node.opType, ins, a)]
        default:
            throw ONNXOpProblem("the op is not supported (studyctl runs the ops its own export and YOLOv5's write)")
        }
    }

    // MARK: inputs

    static func any(_ ins: Inputs, _ i: Int) throws(ONNXOpProblem) -> ONNXValue {
        guard i < ins.count, let v = ins[i] else { throw ONNXOpProblem("input \(i) is missing") }
        return v
    }

    static func floats(_ ins: Inputs, _ i: Int) throws(ONNXOpProblem) -> Tensor {
        switch try any(ins, i) {
        case .floats(let t): return t
        case .ints(let v, let shape):
            guard let count = onnxCount(shape), count == v.count, count > 0 else { throw ONNXOpProblem("input \(i) is an empty or malformed int tensor") }
            return Tensor(v.map(Float.init), shape: Shape(shape.isEmpty ? [1] : shape))
        }
    }

    static func ints(_ ins: Inputs, _ i: Int) throws(ONNXOpProblem) -> [Int] {
        guard case .ints(let v, _) = try any(ins, i) else { throw ONNXOpProblem("input \(i) must be int64") }
        return v
    }

    static func scalar(_ ins: Inputs, _ i: Int) throws(ONNXOpProblem) -> Float {
        switch try any(ins, i) {
        case .floats(let t):
            guard t.count == 1 else { throw ONNXOpProblem("input \(i) must be a scalar, got \(t.shape.dims)") }
            return t.data[0]
        case .ints(let v, _):
            guard v.count == 1 else { throw ONNXOpProblem("input \(i) must be a scalar") }
            return Float(v[0])
        }
    }

    static func axis(_ axis: Int, rank: Int) throws(ONNXOpProblem) -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard (0..<max(rank, 1)).contains(a) else { throw ONNXOpProblem("axis \(axis) is outside rank \(rank)") }
        return a
    }

    // MARK: ops

    static func conv(_ ins: Inputs, _ a: Attributes) throws(ONNXOpProblem) -> Tensor {
        let x = try floats(ins, 0), w = try floats(ins, 1)
        let bias = ins.count > 2 && ins[2] != nil ? try floats(ins, 2) : nil
        guard x.shape.rank == 4, w.shape.rank == 4 else { throw ONNXOpProblem("only 2-D convolutions: x \(x.shape.dims), w \(w.shape.dims)") }
        let k = w.shape[2], groups = a.int("group", 1)
        let strides = a.ints("strides") ?? [1, 1], dilations = a.ints("dilations") ?? [1, 1], pads = a.ints("pads") ?? [0, 0, 0, 0]
        guard w.shape[3] == k, (a.ints("kernel_shape") ?? [k, k]) == [k, k], Set(strides).count == 1, Set(dilations).count == 1,
              Set(pads).count == 1, pads.count == 4, strides.count == 2, dilations.count == 2, a.string("auto_pad", "NOTSET") == "NOTSET" else {
            throw ONNXOpProblem("only square kernels with equal strides, dilations and symmetric pads")
        }
        let (s, d, p) = (strides[0], dilations[0], pads[0])
        guard k >= 1, s >= 1, d >= 1, p >= 0, groups >= 1, x.shape[1] == w.shape[1] * groups, w.shape[0] % groups == 0 else {
            throw ONNXOpProblem("x \(x.shape.dims) and w \(w.shape.dims) do not fit group \(groups)")
        }
        guard bias.map({ $0.shape.dims == [w.shape[0]] }) ?? true else { throw ONNXOpProblem("bias \(bias!.shape.dims) for \(w.shape[0]) outputs") }
        guard x.shape[2] + 2 * p >= d * (k - 1) + 1, x.shape[3] + 2 * p >= d * (k - 1) + 1 else {
            throw ONNXOpProblem("the kernel is larger than the padded input \(x.shape.dims)")
        }
        return conv2d(x, w, bias: bias, stride: s, padding: p, dilation: d, groups: groups)
    }

    static func binary(_ op: String, _ ins: Inputs) throws(ONNXOpProblem) -> Tensor {
        let x = try floats(ins, 0), y = try floats(ins, 1)
        guard let out = onnxBroadcast(x.shape.dims, y.shape.dims), onnxCount(out) != nil else {
            throw ONNXOpProblem("shapes \(x.shape.dims) and \(y.shape.dims) do not broadcast")
        }
        switch op {
        case "Add": return x + y
        case "Sub": return x - y
        case "Mul": return x * y
        default: return x / y
        }
    }

    static func concatenate(_ ins: Inputs, axis raw: Int) throws(ONNXOpProblem) -> ONNXValue {
        guard !ins.isEmpty else { throw ONNXOpProblem("no inputs") }
        if case .ints = try any(ins, 0) {
            var all: [Int] = []
            for i in ins.indices {
                guard case .ints(let v, let shape) = try any(ins, i), shape.count <= 1 else { throw ONNXOpProblem("only 1-D int64 concatenation") }
                all += v
            }
            return .ints(all, shape: [all.count])
        }
        var xs: [Tensor] = []
        for i in ins.indices { xs.append(try floats(ins, i)) }
        let rank = xs[0].shape.rank, ax = try axis(raw, rank: rank)
        for x in xs where x.shape.rank != rank || (0..<rank).contains(where: { $0 != ax && x.shape[$0] != xs[0].shape[$0] }) {
            throw ONNXOpProblem("inputs \(xs.map(\.shape.dims)) differ outside axis \(ax)")
        }
        guard onnxCount(xs[0].shape.dims.enumerated().map { $0.offset == ax ? xs.reduce(0) { $0 + $1.shape[ax] } : $0.element }) != nil else {
            throw ONNXOpProblem("the result is too large")
        }
        return .floats(concat(xs, axis: ax))
    }

    static func splitValues(_ ins: Inputs, _ a: Attributes, outputs: Int) throws(ONNXOpProblem) -> [ONNXValue] {
        let x = try floats(ins, 0), ax = try axis(a.int("axis", 0), rank: x.shape.rank)
        var sizes = ins.count > 1 && ins[1] != nil ? try ints(ins, 1) : (a.ints("split") ?? [])
        if sizes.isEmpty {
            guard outputs >= 1, x.shape[ax] % outputs == 0 else { throw ONNXOpProblem("\(x.shape[ax]) does not split into \(outputs) equal parts") }
            sizes = Array(repeating: x.shape[ax] / outputs, count: outputs)
        }
        guard sizes.allSatisfy({ $0 >= 1 }), sizes.reduce(0, +) == x.shape[ax], sizes.count == outputs else {
            throw ONNXOpProblem("sizes \(sizes) do not split \(x.shape[ax]) into \(outputs) outputs")
        }
        return split(x, sizes: sizes, axis: ax).map { .floats($0) }
    }

    static func sliceValue(_ ins: Inputs) throws(ONNXOpProblem) -> ONNXValue {
        let data = try any(ins, 0), starts = try ints(ins, 1), ends = try ints(ins, 2)
        let dims = data.shape
        let axes = ins.count > 3 && ins[3] != nil ? try ints(ins, 3) : Array(0..<starts.count)
        let steps = ins.count > 4 && ins[4] != nil ? try ints(ins, 4) : Array(repeating: 1, count: starts.count)
        guard starts.count == ends.count, axes.count == starts.count, steps.allSatisfy({ $0 == 1 }) else {
            throw ONNXOpProblem("starts, ends and axes must have one entry each per axis, steps 1")
        }
        var ranges: [(Int, Range<Int>)] = []
        for (i, raw) in axes.enumerated() {
            let ax = try axis(raw, rank: dims.count), n = dims[ax]
            func clampIndex(_ v: Int) -> Int { min(max(v < 0 ? v + n : v, 0), n) }
            let lo = clampIndex(starts[i]), hi = max(clampIndex(ends[i]), lo)
            ranges.append((ax, lo..<hi))
        }
        switch data {
        case .ints(let v, let shape):
            guard shape.count == 1, let (_, r) = ranges.first, ranges.count == 1 else { throw ONNXOpProblem("only 1-D int64 slices") }
            return .ints(Array(v[r]), shape: [r.count])
        case .floats(var x):
            for (ax, r) in ranges {
                guard !r.isEmpty else { throw ONNXOpProblem("an empty slice of axis \(ax)") }
                if r.count != x.shape[ax] { x = slice(x, axis: ax, r) }
            }
            return .floats(x)
        }
    }

    static func reshaped(_ ins: Inputs) throws(ONNXOpProblem) -> Tensor {
        let x = try floats(ins, 0)
        var dims = try ints(ins, 1)
        for (i, d) in dims.enumerated() where d == 0 {
            guard i < x.shape.rank else { throw ONNXOpProblem("0 at \(i) copies a dim the input does not have") }
            dims[i] = x.shape[i]
        }
        let unknown = dims.indices.filter { dims[$0] == -1 }
        guard unknown.count <= 1, dims.allSatisfy({ $0 >= 1 || $0 == -1 }) else { throw ONNXOpProblem("shape \(dims) is not a shape") }
        if let i = unknown.first {
            let known = dims.filter { $0 != -1 }.reduce(1, *)
            guard known > 0, x.count % known == 0 else { throw ONNXOpProblem("\(x.shape.dims) cannot be \(dims)") }
            dims[i] = x.count / known
        }
        guard onnxCount(dims) == x.count else { throw ONNXOpProblem("\(x.shape.dims) cannot be \(dims)") }
        return reshape(x, Shape(dims))
    }

    static func expanded(_ ins: Inputs) throws(ONNXOpProblem) -> Tensor {
        let x = try floats(ins, 0), target = try ints(ins, 1)
        guard let out = onnxBroadcast(x.shape.dims, target), onnxCount(out) != nil, out.allSatisfy({ $0 >= 1 }) else {
            throw ONNXOpProblem("\(x.shape.dims) does not expand to \(target)")
        }
        let padded = x.shape.rank < out.count ? reshape(x, Shape([Int](repeating: 1, count: out.count - x.shape.rank) + x.shape.dims)) : x
        return expand(padded, to: Shape(out))
    }

    static func pool(_ op: String, _ ins: Inputs, _ a: Attributes) throws(ONNXOpProblem) -> Tensor {
        let x = try floats(ins, 0)
        let kernel = a.ints("kernel_shape") ?? [], strides = a.ints("strides") ?? kernel, pads = a.ints("pads") ?? [0, 0, 0, 0]
        guard x.shape.rank == 4, kernel.count == 2, kernel[0] == kernel[1], strides.count == 2, Set(strides).count == 1,
              pads.count == 4, Set(pads).count == 1, a.int("ceil_mode", 0) == 0, (a.ints("dilations") ?? [1, 1]) == [1, 1] else {
            throw ONNXOpProblem("only square 2-D pooling with equal strides and symmetric pads")
        }
        let (k, s, p) = (kernel[0], strides[0], pads[0])
        guard k >= 1, s >= 1, p >= 0, p <= k / 2, x.shape[2] + 2 * p >= k, x.shape[3] + 2 * p >= k else {
            throw ONNXOpProblem("kernel \(k), pad \(p) do not fit \(x.shape.dims)")
        }
        if op == "MaxPool" { return maxPool2d(x, kernel: k, stride: s, padding: p) }
        guard a.int("count_include_pad", 0) == 1 || p == 0 else { throw ONNXOpProblem("only count_include_pad = 1 with padding") }
        return avgPool2d(x, kernel: k, stride: s, padding: p)
    }

    static func resize(_ ins: Inputs, _ a: Attributes) throws(ONNXOpProblem) -> Tensor {
        let x = try floats(ins, 0)
        guard x.shape.rank == 4, a.string("mode", "nearest") == "nearest" else { throw ONNXOpProblem("only nearest resizing of [N, C, H, W]") }
        var factor: [Float] = []
        if ins.count > 2, case .floats(let s)? = ins[2], s.count == 4 { factor = s.scalars }
        if factor.isEmpty, ins.count > 3, ins[3] != nil {
            let sizes = try ints(ins, 3)
            guard sizes.count == 4 else { throw ONNXOpProblem("sizes \(sizes)") }
            factor = zip(sizes, x.shape.dims).map { Float($0) / Float($1) }
        }
        guard factor.count == 4, factor[0] == 1, factor[1] == 1, factor[2] == factor[3], factor[2] >= 1, factor[2] <= 64,
              factor[2] == factor[2].rounded() else {
            throw ONNXOpProblem("only a whole, equal scale of H and W (nn.Upsample(scale_factor=k)), got \(factor)")
        }
        guard onnxCount(x.shape.dims.enumerated().map { $0.offset >= 2 ? $0.element * Int(factor[2]) : $0.element }) != nil else {
            throw ONNXOpProblem("the result is too large")
        }
        return upsampleNearest(x, factor: Int(factor[2]))
    }

    static func batchNorm(_ ins: Inputs, _ a: Attributes) throws(ONNXOpProblem) -> Tensor {
        let x = try floats(ins, 0)
        guard x.shape.rank == 4 else { throw ONNXOpProblem("only [N, C, H, W]") }
        var p: [Tensor] = []
        for i in 1...4 {
            let t = try floats(ins, i)
            guard t.shape.dims == [x.shape[1]] else { throw ONNXOpProblem("input \(i) is \(t.shape.dims), expected [\(x.shape[1])]") }
            p.append(t)
        }
        guard p[3].scalars.allSatisfy({ $0 >= 0 }) else { throw ONNXOpProblem("a negative variance") }
        return batchNorm2d(x, weight: p[0], bias: p[1], runningMean: p[2], runningVar: p[3], training: false, eps: a.float("epsilon", 1e-5))
    }

    static func gemm(_ ins: Inputs, _ a: Attributes) throws(ONNXOpProblem) -> Tensor {
        let x = try floats(ins, 0)
        var w = try floats(ins, 1)
        guard a.int("transA", 0) == 0, a.float("alpha", 1) == 1, a.float("beta", 1) == 1, x.shape.rank == 2, w.shape.rank == 2 else {
            throw ONNXOpProblem("only x·wᵀ + b with alpha = beta = 1")
        }
        if a.int("transB", 0) == 0 { w = permute(w, [1, 0]) }
        let bias = ins.count > 2 && ins[2] != nil ? try floats(ins, 2) : nil
        guard x.shape[1] == w.shape[1], bias.map({ $0.shape.dims == [w.shape[0]] }) ?? true else {
            throw ONNXOpProblem("x \(x.shape.dims), w \(w.shape.dims) and the bias do not fit")
        }
        return linear(x, w, bias: bias)
    }

    static func gather(_ ins: Inputs, axis: Int) throws(ONNXOpProblem) -> ONNXValue {
        guard case .ints(let data, let shape) = try any(ins, 0), shape.count == 1, axis == 0 || axis == -1 else {
            throw ONNXOpProblem("only 1-D int64 data (a shape) along axis 0")
        }
        guard case .ints(let idx, let idxShape) = try any(ins, 1) else { throw ONNXOpProblem("indices must be int64") }
        var out: [Int] = []
        for i in idx {
            let j = i < 0 ? i + data.count : i
            guard data.indices.contains(j) else { throw ONNXOpProblem("index \(i) outside \(data.count)") }
            out.append(data[j])
        }
        return .ints(out, shape: idxShape)
    }

    static func range(_ ins: Inputs) throws(ONNXOpProblem) -> ONNXValue {
        let start = try ints(ins, 0), limit = try ints(ins, 1), delta = try ints(ins, 2)
        guard start.count == 1, limit.count == 1, delta.count == 1, delta[0] != 0 else { throw ONNXOpProblem("scalar int64 start, limit, delta ≠ 0") }
        let span = Double(limit[0]) - Double(start[0])
        let n = max(Int((span / Double(delta[0])).rounded(.up)), 0)
        guard n <= onnxElementLimit else { throw ONNXOpProblem("\(n) values") }
        return .ints((0..<n).map { start[0] + $0 * delta[0] }, shape: [n])
    }

    static func cast(_ ins: Inputs, to type: Int) throws(ONNXOpProblem) -> ONNXValue {
        let v = try any(ins, 0)
        switch (v, type) {
        case (.ints(let values, let shape), 1):
            guard let count = onnxCount(shape), count == values.count, count > 0 else { throw ONNXOpProblem("an empty int tensor") }
            return .floats(Tensor(values.map(Float.init), shape: Shape(shape.isEmpty ? [1] : shape)))
        case (.ints, 7), (.floats, 1): return v
        default: throw ONNXOpProblem("only int64 → float32 casts")
        }
    }

    static func squeeze(_ op: String, _ ins: Inputs, _ a: Attributes) throws(ONNXOpProblem) -> ONNXValue {
        let v = try any(ins, 0)
        let axes = ins.count > 1 && ins[1] != nil ? try ints(ins, 1) : (a.ints("axes") ?? [])
        var dims = v.shape
        if op == "Unsqueeze" {
            for raw in axes.sorted() {
                let ax = raw < 0 ? raw + dims.count + 1 : raw
                guard (0...dims.count).contains(ax) else { throw ONNXOpProblem("axis \(raw)") }
                dims.insert(1, at: ax)
            }
        } else {
            let drop = axes.isEmpty ? Set(dims.indices.filter { dims[$0] == 1 }) : Set(axes.map { $0 < 0 ? $0 + dims.count : $0 })
            guard drop.allSatisfy({ dims.indices.contains($0) && dims[$0] == 1 }) else { throw ONNXOpProblem("axes \(axes) are not of size 1") }
            dims = dims.indices.filter { !drop.contains($0) }.map { dims[$0] }
        }
        switch v {
        case .ints(let values, _): return .ints(values, shape: dims)
        case .floats(let t): return .floats(reshape(t, Shape(dims.isEmpty ? [1] : dims)))
        }
    }
}

/// A node's attributes by name.
struct Attributes {
    let byName: [String: Onnx_AttributeProto]
    init(_ node: Onnx_NodeProto) { byName = Dictionary(node.attribute.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }) }

    func int(_ name: String, _ fallback: Int) -> Int { byName[name].map { Int(clamping: $0.i) } ?? fallback }
    func float(_ name: String, _ fallback: Float) -> Float { byName[name]?.f ?? fallback }
    func ints(_ name: String) -> [Int]? { byName[name].map { $0.ints.map { Int(clamping: $0) } } }
    func string(_ name: String, _ fallback: String) -> String { byName[name].map { String(decoding: $0.s, as: UTF8.self) } ?? fallback }
    func tensor(_ name: String) -> Onnx_TensorProto? { byName[name].flatMap { $0.hasT ? $0.t : nil } }
}
