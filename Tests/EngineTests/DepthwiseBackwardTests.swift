import Engine
import Testing

/// Depthwise backward on shapes that reach every part of the channel-blocked path: full blocks of
/// 8 channels and a partial one, rows of 8 pixels and more (transposed in registers) and their
/// tails, several images per block, stride 1 and 2, 3×3 and 5×5 — against the gradients written
/// out in Double from their definition.
struct DepthwiseBackwardTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var x: [Int], k: Int, stride: Int
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "3x3 s1, 20 channels, 13 x 17, 5 images", x: [5, 20, 13, 17], k: 3, stride: 1),
        Case(name: "3x3 s2, 20 channels, 13 x 17, 5 images", x: [5, 20, 13, 17], k: 3, stride: 2),
        Case(name: "5x5 s1, 11 channels, 10 x 9, 3 images", x: [3, 11, 10, 9], k: 5, stride: 1),
        Case(name: "5x5 s2, 16 channels, 11 x 24, 2 images", x: [2, 16, 11, 24], k: 5, stride: 2),
        Case(name: "3x3 s1, 8 channels, 5 x 5 (P5), 9 images", x: [9, 8, 5, 5], k: 3, stride: 1),
        Case(name: "3x3 s2, 3 channels, 4 x 3, 1 image", x: [1, 3, 4, 3], k: 3, stride: 2),
    ]

    /// (dx, dw) of Σ r · depthwise(x, w) in Double: dw[c, ki, kj] = Σ r · x at the tap, dx = Σ r · w
    /// over the outputs each input pixel fed.
    static func reference(_ x: [Float], _ w: [Float], _ r: [Float], shape: [Int], k: Int, stride: Int)
        -> (dx: [Double], dw: [Double]) {
        let (n, c, h, wd) = (shape[0], shape[1], shape[2], shape[3])
        let pad = k / 2
        let (oh, ow) = ((h + 2 * pad - k) / stride + 1, (wd + 2 * pad - k) / stride + 1)
        var dx = [Double](repeating: 0, count: x.count), dw = [Double](repeating: 0, count: w.count)
        for img in 0..<n {
            for ch in 0..<c {
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        let g = Double(r[((img * c + ch) * oh + oy) * ow + ox])
                        for ki in 0..<k {
                            for kj in 0..<k {
                                let (iy, ix) = (oy * stride - pad + ki, ox * stride - pad + kj)
                                guard iy >= 0, iy < h, ix >= 0, ix < wd else { continue }
                                let xi = ((img * c + ch) * h + iy) * wd + ix, wi = (ch * k + ki) * k + kj
                                dw[wi] += g * Double(x[xi])
                                dx[xi] += g * Double(w[wi])
                            }
                        }
                    }
                }
            }
        }
        return (dx, dw)
    }

    @Test(arguments: cases)
    func gradientsMatchTheirDefinition(_ t: Case) {
        let c = t.x[1]
        let x = Tensor(testValues(t.x.reduce(1, *), seed: 11), shape: Shape(t.x), requiresGrad: true)
        let w = Tensor(testValues(c * t.k * t.k, seed: 12), shape: [c, 1, t.k, t.k], requiresGrad: true)
        let y = conv2d(x, w, stride: t.stride, padding: t.k / 2, groups: c)
        let r = testValues(y.count, seed: 13)
        y.backward(gradient: Tensor(r, shape: y.shape))
        let expected = Self.reference(x.scalars, w.scalars, r, shape: t.x, k: t.k, stride: t.stride)
        #expect(maxRelativeError(x.grad!.scalars.map(Double.init), expected.dx) < 1e-5)
        #expect(maxRelativeError(w.grad!.scalars.map(Double.init), expected.dw) < 1e-4)
    }

    /// x feeds two depthwise convolutions: the second backward adds to the first's gradient.
    @Test func inputGradientAccumulatesAcrossTwoUses() {
        let shape = [3, 9, 7, 10]
        let x = Tensor(testValues(shape.reduce(1, *), seed: 21), shape: Shape(shape), requiresGrad: true)
        let w1 = Tensor(testValues(9 * 9, seed: 22), shape: [9, 1, 3, 3])
        let w2 = Tensor(testValues(9 * 25, seed: 23), shape: [9, 1, 5, 5])
        let y1 = conv2d(x, w1, padding: 1, groups: 9), y2 = conv2d(x, w2, stride: 2, padding: 2, groups: 9)
        let r1 = testValues(y1.count, seed: 24), r2 = testValues(y2.count, seed: 25)
        (sum(y1 * Tensor(r1, shape: y1.shape)) + sum(y2 * Tensor(r2, shape: y2.shape))).backward()
        let a = Self.reference(x.scalars, w1.scalars, r1, shape: shape, k: 3, stride: 1).dx
        let b = Self.reference(x.scalars, w2.scalars, r2, shape: shape, k: 5, stride: 2).dx
        #expect(maxRelativeError(x.grad!.scalars.map(Double.init), zip(a, b).map(+)) < 1e-5)
    }

    /// The weight gradient is summed in fixed blocks of images: 1, 2 and 4 threads give the same bits.
    @Test func oneTwoAndFourThreadsGiveTheSameBits() {
        func gradients(_ threads: Int) -> [[Float]] {
            ThreadPool.using(ThreadPool(threads: threads)) {
                let x = Tensor(testValues(7 * 20 * 12 * 11, seed: 31), shape: [7, 20, 12, 11], requiresGrad: true)
                let w = Tensor(testValues(20 * 9, seed: 32), shape: [20, 1, 3, 3], requiresGrad: true)
                let y = conv2d(x, w, stride: 2, padding: 1, groups: 20)
                y.backward(gradient: Tensor(testValues(y.count, seed: 33), shape: y.shape))
                return [x.grad!.scalars, w.grad!.scalars]
            }
        }
        let one = gradients(1)
        #expect(gradients(2) == one)
        #expect(gradients(4) == one)
    }
}
