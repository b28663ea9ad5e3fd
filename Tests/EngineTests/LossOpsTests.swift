import Engine
import Foundation
import Testing

struct LossOpsTests {
    @Test func unaryMath() {
        let positive = [testValues(24, seed: 11).map { $0 + 1.5 }]
        gradCheck([[4, 6]], op: { exp($0[0]) }, reference: { $0[0].map { Foundation.exp($0) } })
        gradCheck([[4, 6]], values: positive, op: { log($0[0]) }, reference: { $0[0].map { Foundation.log($0) } })
        gradCheck([[4, 6]], values: positive, op: { sqrt($0[0]) }, reference: { $0[0].map { $0.squareRoot() } })
        gradCheck([[4, 6]], op: { atan($0[0] * 3) }, reference: { $0[0].map { Foundation.atan($0 * 3) } })
        gradCheck([[4, 6]], values: positive, op: { pow($0[0], 2.5) }, reference: { $0[0].map { Foundation.pow($0, 2.5) } })
        gradCheck([[4, 6]], op: { clamp($0[0], min: -0.3, max: 0.4) }, reference: { $0[0].map { min(max($0, -0.3), 0.4) } })
    }

    @Test func minimumAndMaximumBroadcast() {
        let sa = Shape([3, 4]), sb = Shape([3, 1])
        gradCheck([sa, sb], op: { minimum($0[0], $0[1]) }, reference: { referenceBroadcast($0[0], sa, $0[1], sb, min) })
        gradCheck([sa, sb], op: { maximum($0[0], $0[1]) }, reference: { referenceBroadcast($0[0], sa, $0[1], sb, max) })
    }

    @Test func tiesShareTheGradient() {
        let a = Tensor([1, 2], shape: [2], requiresGrad: true), b = Tensor([1, 3], shape: [2], requiresGrad: true)
        sum(maximum(a, b)).backward()
        #expect(a.grad!.scalars == [0.5, 0] && b.grad!.scalars == [0.5, 1])
    }

    @Test func sumMeanAndGather() {
        gradCheck([[3, 5]], op: { sum($0[0]) }, reference: { [$0[0].reduce(0, +)] })
        gradCheck([[3, 5]], op: { mean($0[0]) }, reference: { [$0[0].reduce(0, +) / 15] })
        gradCheck([[4, 3]], op: { gatherRows($0[0], [2, 0, 2]) }, reference: { xs in
            [2, 0, 2].flatMap { r in xs[0][(r * 3)..<(r * 3 + 3)] }
        })
    }

    /// ℓ(x, t) = −[t·log σ(x) + (1 − t)·log(1 − σ(x))], averaged (torch.nn.BCEWithLogitsLoss docs).
    @Test(arguments: [1.0, 2.5])
    func bceWithLogitsMatchesItsDefinition(posWeight: Double) {
        let t = testValues(20, seed: 21).map { ($0 + 1) / 2 }
        let logits = testValues(20, seed: 22).map { $0 * 6 }
        gradCheck([[4, 5]], values: [logits],
                  op: { bceWithLogits($0[0], targets: Tensor(t, shape: [4, 5]), posWeight: Float(posWeight)) },
                  reference: { xs in
                      let total = zip(xs[0], t.map(Double.init)).reduce(0.0) { acc, pair in
                          let s = 1 / (1 + Foundation.exp(-pair.0))
                          return acc - (posWeight * pair.1 * Foundation.log(s) + (1 - pair.1) * Foundation.log(1 - s))
                      }
                      return [total / 20]
                  })
    }
}
