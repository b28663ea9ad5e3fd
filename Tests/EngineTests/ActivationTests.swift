import Engine
import Foundation
import Testing

struct ActivationTests {
    nonisolated(unsafe) static let cases: [(String, (Tensor) -> Tensor, (Double) -> Double)] = [
        ("relu", relu, { max($0, 0) }),
        ("relu6", relu6, { min(max($0, 0), 6) }),
        ("silu", silu, { $0 / (1 + Foundation.exp(-$0)) }),
        ("sigmoid", sigmoid, { 1 / (1 + Foundation.exp(-$0)) }),
        ("hardsigmoid", hardsigmoid, { min(max($0 + 3, 0), 6) / 6 }),
        ("hardswish", hardswish, { $0 * min(max($0 + 3, 0), 6) / 6 }),
        ("leakyRelu", { leakyRelu($0, slope: 0.1) }, { $0 > 0 ? $0 : 0.1 * $0 }),
    ]

    /// Inputs spread over [-8, 8] so every piece of every activation is hit; 1001 is not a
    /// multiple of the vector width, so the tail path runs too.
    @Test(arguments: 0..<7)
    func matchesReferenceAndFiniteDifferences(index: Int) {
        let (name, op, f) = Self.cases[index]
        let values = testValues(1001, seed: 42).map { $0 * 8 }
        gradCheck([Shape([7, 11, 13])], values: [values], op: { op($0[0]) }, reference: { $0[0].map(f) })
        _ = name
    }

    @Test func expIsAccurateOverItsRange() {
        var worst = 0.0
        for i in -8700...8800 {
            let x = Float(i) / 100
            let got = Double(SIMDMath.exp(x)), want = Foundation.exp(Double(x))
            worst = max(worst, abs(got - want) / want)
        }
        #expect(worst < 3e-7, "max relative error \(worst)")
    }
}
