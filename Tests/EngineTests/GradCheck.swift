import Engine
import Testing

/// A deterministic stream of test values in [-1, 1), away from exact zeros.
func testValues(_ count: Int, seed: UInt64) -> [Float] {
    var rng = Philox(seed: seed)
    return rng.uniform(count, low: -1, high: 1)
}

/// Checks an op against a Double-precision reference: its forward values, and its gradients
/// against central finite differences of the reference.
///
/// The loss is Σ r·y with fixed random weights r, so every output element's gradient is tested.
func gradCheck(
    _ shapes: [Shape], seed: UInt64 = 1, forwardTolerance: Double = 1e-4, gradTolerance: Double = 2e-3,
    values: [[Float]]? = nil,
    op: ([Tensor]) -> Tensor,
    reference: ([[Double]]) -> [Double],
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let inputs = shapes.enumerated().map { i, shape in
        Tensor(values?[i] ?? testValues(shape.count, seed: seed &+ UInt64(i) &* 7919), shape: shape, requiresGrad: true)
    }
    let doubles = inputs.map { $0.scalars.map(Double.init) }
    let y = op(inputs)
    let expected = reference(doubles)
    #expect(y.count == expected.count, "output has \(y.count) values, reference \(expected.count)", sourceLocation: sourceLocation)
    guard y.count == expected.count else { return }
    let forwardError = maxRelativeError(y.scalars.map(Double.init), expected)
    #expect(forwardError < forwardTolerance, "forward max error \(forwardError); first values \(Array(y.scalars.prefix(4))) vs \(Array(expected.prefix(4)))", sourceLocation: sourceLocation)

    let r = testValues(y.count, seed: seed &+ 1_000_003)
    y.backward(gradient: Tensor(r, shape: y.shape))
    let rd = r.map(Double.init)
    func loss(_ xs: [[Double]]) -> Double { zip(reference(xs), rd).reduce(0) { $0 + $1.0 * $1.1 } }

    for (index, input) in inputs.enumerated() {
        guard let grad = input.grad else {
            Issue.record("input \(index) got no gradient", sourceLocation: sourceLocation)
            continue
        }
        var numeric = [Double](repeating: 0, count: input.count)
        var xs = doubles
        let h = 1e-6
        for j in 0..<input.count {
            let saved = xs[index][j]
            xs[index][j] = saved + h
            let up = loss(xs)
            xs[index][j] = saved - h
            let down = loss(xs)
            xs[index][j] = saved
            numeric[j] = (up - down) / (2 * h)
        }
        let error = maxRelativeError(grad.scalars.map(Double.init), numeric)
        #expect(error < gradTolerance, "input \(index) gradient max error \(error); first \(Array(grad.scalars.prefix(4))) vs \(Array(numeric.prefix(4)))", sourceLocation: sourceLocation)
    }
}

/// max |a - b| / max(1, |b|) over all elements.
func maxRelativeError(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
}
