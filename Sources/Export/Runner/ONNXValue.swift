import Engine

/// A value of an ONNX graph while it runs: a float tensor (the engine's), or int64 numbers with
/// their shape (shapes, axes, indices: what Shape, Gather and Range compute).
enum ONNXValue {
    case floats(Tensor)
    case ints([Int], shape: [Int])

    var shape: [Int] {
        switch self {
        case .floats(let t): t.shape.dims
        case .ints(_, let shape): shape
        }
    }
}

/// Why an ONNX file could not be read or run: one line naming the file and, when it is about one,
/// the node and its op.
public struct ONNXRunError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// The most elements one value may hold (4 GiB of floats): a hostile shape cannot ask for more.
let onnxElementLimit = 1 << 30

/// The element count of `dims`, or nil when a dim is negative or the count passes the limit.
func onnxCount(_ dims: [Int]) -> Int? {
    var n = 1
    for d in dims {
        guard d >= 0 else { return nil }
        let (product, overflow) = n.multipliedReportingOverflow(by: d)
        guard !overflow, product <= onnxElementLimit else { return nil }
        n = product
    }
    return n
}

/// NumPy's broadcast of two shapes, or nil when they do not broadcast.
func onnxBroadcast(_ a: [Int], _ b: [Int]) -> [Int]? {
    let rank = max(a.count, b.count)
    let da = [Int](repeating: 1, count: rank - a.count) + a, db = [Int](repeating: 1, count: rank - b.count) + b
    var out: [Int] = []
    for (x, y) in zip(da, db) {
        guard x == y || x == 1 || y == 1 else { return nil }
        out.append(max(x, y))
    }
    return out
}
