import Engine

/// What `--dynamic` needs to know about a trace: the same forward pass traced a second time at
/// another batch size and image size, so a dimension that differs between the two is symbolic.
///
/// torch.onnx learns this from `x.size()` calls in the Python code; the engine's ops see only
/// numbers, so two traces stand in for it. Every other op must be the same in both traces.
struct DynamicShapes {
    /// The second trace's nodes, one per node of the first.
    let other: [Trace.Node]
    /// Each graph value so far with its dimensions in the first and the second trace.
    private(set) var known: [(name: String, first: [Int], second: [Int])] = []

    init(other: Trace) { self.other = other.nodes }

    mutating func note(_ name: String, first: [Int], second: [Int]) { known.append((name, first, second)) }

    /// The shape input of a Reshape from `input` (its dims `inFirst`, `inSecond`) to `first`
    /// (`second` in the other trace): literal dims where both traces agree, 0 to copy the batch,
    /// dims read from the Shape of an earlier value where a run of trailing dims matches one, and
    /// -1 for the one dim left.
    func reshapeTarget(_ input: String, inFirst: [Int], inSecond: [Int], first: [Int], second: [Int],
                       into b: ONNXGraphBuilder) throws(ExportError) -> String {
        var literal = first
        var varying = first.indices.filter { first[$0] != second[$0] }
        if varying.first == 0, inFirst.first == first[0], inSecond.first == second[0] {
            literal[0] = 0
            varying.removeFirst()
        }
        let tail = varying.count <= 1 ? nil : trailingSource(varying, first, second, (input, inFirst, inSecond), leaving: 1)
        if let tail { varying.removeLast(tail.count) }
        guard varying.count <= 1 else {
            throw .failed("--dynamic: cannot express the reshape \(inFirst) → \(first) with symbolic batch and image size")
        }
        if let i = varying.first { literal[i] = -1 }
        return target(literal, tail, b)
    }

    /// The shape input of an Expand of `input` to `first` (`second` in the other trace): 1 where
    /// the input already has the dim (broadcasting keeps it), literal dims where both traces
    /// agree, the trailing varying dims from the Shape of an earlier value.
    func expandTarget(_ input: String, inFirst: [Int], inSecond: [Int], first: [Int], second: [Int],
                      into b: ONNXGraphBuilder) throws(ExportError) -> String {
        var literal = first
        var varying: [Int] = []
        for i in first.indices where first[i] != second[i] {
            if inFirst.count == first.count, inFirst[i] == first[i], inSecond[i] == second[i] { literal[i] = 1 } else { varying.append(i) }
        }
        let tail = varying.isEmpty ? nil : trailingSource(varying, first, second, (input, inFirst, inSecond), leaving: 0)
        guard varying.count == (tail?.count ?? 0) else {
            throw .failed("--dynamic: cannot express the expand \(inFirst) → \(first) with symbolic batch and image size")
        }
        return target(literal, tail, b)
    }

    /// The latest value (the op's input first) whose last dims equal the trailing `varying` dims
    /// of `first` and `second` in both traces — the longest such run that leaves at most `leaving`.
    private func trailingSource(_ varying: [Int], _ first: [Int], _ second: [Int], _ input: (String, [Int], [Int]),
                                leaving: Int) -> (name: String, rank: Int, count: Int)? {
        let trailing = varying.reversed().enumerated().prefix { $0.element == first.count - 1 - $0.offset }.count
        for count in stride(from: trailing, to: 0, by: -1) where varying.count - count <= leaving {
            let (f, s) = (first.suffix(count), second.suffix(count))
            if let source = ([input] + known.reversed().map { ($0.name, $0.first, $0.second) })
                .first(where: { $0.1.suffix(count) == f && $0.2.suffix(count) == s }) {
                return (source.0, source.1.count, count)
            }
        }
        return nil
    }

    /// `literal` as an int64 constant, its last `tail.count` dims taken from `tail`'s Shape.
    private func target(_ literal: [Int], _ tail: (name: String, rank: Int, count: Int)?, _ b: ONNXGraphBuilder) -> String {
        guard let tail else { return b.constant(ints: literal) }
        let dims = b.node("Slice", [b.node("Shape", [tail.name]), b.constant(ints: [tail.rank - tail.count]), b.constant(ints: [tail.rank])])
        return b.node("Concat", [b.constant(ints: Array(literal.dropLast(tail.count))), dims], [("axis", .int(0))])
    }
}
