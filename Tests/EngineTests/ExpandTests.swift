import Engine
import Testing

@Suite struct ExpandTests {
    /// Against a hand-indexed repeat in Double, gradients by finite differences.
    @Test func repeatsSizeOneDimensions() {
        let (n, c, h, w) = (2, 3, 4, 5)
        gradCheck([[n, c, 1, 1]], op: { expand($0[0], to: [n, c, h, w]) }, reference: { x in
            (0..<n * c * h * w).map { i in x[0][i / (h * w)] }
        })
        gradCheck([[1, c, 1, w]], op: { expand($0[0], to: [n, c, h, w]) }, reference: { x in
            (0..<n * c * h * w).map { i in x[0][(i / (h * w)) % c * w + i % w] }
        })
    }

    /// Bit for bit the sum it replaces in ASPP (`zeros + x`), forward and backward.
    @Test func equalsAddingToZeros() {
        let x1 = Tensor(testValues(6, seed: 3), shape: [2, 3, 1, 1], requiresGrad: true)
        let x2 = Tensor(x1.scalars, shape: [2, 3, 1, 1], requiresGrad: true)
        let r = Tensor(testValues(2 * 3 * 7 * 9, seed: 4), shape: [2, 3, 7, 9])
        let a = expand(x1, to: [2, 3, 7, 9]), b = Tensor(zeros: [2, 3, 7, 9]) + x2
        #expect(a.scalars == b.scalars)
        (sum(a * r) + sum(b * r)).backward()
        #expect(x1.grad!.scalars == x2.grad!.scalars)
    }
}
