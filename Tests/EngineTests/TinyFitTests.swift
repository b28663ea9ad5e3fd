import Engine
import Testing

/// End to end: a small conv net learns to tell horizontal bars from vertical ones with plain SGD.
struct TinyFitTests {
    /// 8×8 images with one bright bar (row or column at a random position) on noise; label 1 = vertical.
    func batch(_ rng: inout Philox, size: Int) -> (Tensor, Tensor) {
        var pixels = rng.uniform(size * 64, low: -0.2, high: 0.2)
        var labels = [Float](repeating: 0, count: size)
        for i in 0..<size {
            let vertical = rng.nextInt(below: 2) == 1, at = rng.nextInt(below: 8)
            labels[i] = vertical ? 1 : 0
            for k in 0..<8 { pixels[i * 64 + (vertical ? k * 8 + at : at * 8 + k)] += 1 }
        }
        return (Tensor(pixels, shape: [size, 1, 8, 8]), Tensor(labels, shape: [size, 1]))
    }

    @Test func lossFallsTenfold() {
        defer { print("PROBE fit") }
        var rng = Philox(seed: 11)
        func param(_ shape: Shape, fanIn: Int) -> Tensor {
            let t = Tensor(zeros: shape, requiresGrad: true)
            Initializer.kaimingUniform(t, fanIn: fanIn, rng: &rng)
            return t
        }
        let w1 = param([8, 1, 3, 3], fanIn: 9), w2 = param([16, 8, 3, 3], fanIn: 72), w3 = param([1, 16], fanIn: 16)
        let b3 = Tensor(zeros: [1], requiresGrad: true)
        let gamma = Tensor(repeating: 1, shape: [8], requiresGrad: true), beta = Tensor(zeros: [8], requiresGrad: true)
        let (rm, rv) = (Tensor(zeros: [8]), Tensor(repeating: 1, shape: [8]))
        let params = [w1, w2, w3, b3, gamma, beta]
        var losses: [Float] = []
        for _ in 0..<150 {
            let (x, y) = batch(&rng, size: 16)
            var h = conv2d(x, w1, padding: 1)
            h = silu(batchNorm2d(h, weight: gamma, bias: beta, runningMean: rm, runningVar: rv, training: true, momentum: 0.03, eps: 1e-3))
            h = relu(conv2d(h, w2, stride: 2, padding: 1))
            let logits = linear(reshape(globalAvgPool(h), [16, 16]), w3, bias: b3)
            let loss = bceWithLogits(logits, targets: y)
            losses.append(loss.item)
            loss.backward()
            for p in params {
                for i in 0..<p.count { p.data[i] -= 0.2 * p.grad!.data[i] }
                p.grad = nil
            }
        }
        let first = losses.prefix(10).reduce(0, +) / 10, last = losses.suffix(10).reduce(0, +) / 10
        print("PROBE first \(first) last \(last)")
        #expect(last * 10 < first, "mean loss of the first 10 steps \(first), of the last 10 \(last)")
    }
}
