import Engine
import Testing

/// A small network with every reduction-bearing op: GEMM conv, depthwise conv, batch norm, pooling.
func smallNetworkGradients(seed: UInt64) -> [[Float]] {
    var rng = Philox(seed: seed)
    func param(_ shape: Shape) -> Tensor { Tensor(rng.uniform(shape.count, low: -0.5, high: 0.5), shape: shape, requiresGrad: true) }
    let x = Tensor(rng.uniform(8 * 3 * 16 * 16, low: -1, high: 1), shape: [8, 3, 16, 16], requiresGrad: true)
    let w1 = param([16, 3, 3, 3]), dw = param([16, 1, 3, 3]), w2 = param([8, 16, 1, 1])
    let gamma = Tensor(repeating: 1, shape: [16], requiresGrad: true), beta = Tensor(zeros: [16], requiresGrad: true)
    var h = silu(conv2d(x, w1, stride: 2, padding: 1))
    h = batchNorm2d(h, weight: gamma, bias: beta, runningMean: Tensor(zeros: [16]), runningVar: Tensor(repeating: 1, shape: [16]),
                    training: true, momentum: 0.03, eps: 1e-3)
    h = hardswish(conv2d(h, dw, padding: 1, groups: 16))
    h = globalAvgPool(conv2d(maxPool2d(h, kernel: 3, stride: 1, padding: 1), w2))
    sum(h * h).backward()
    return [x, w1, dw, w2, gamma, beta].map { $0.grad!.scalars }
}

struct DeterminismTests {
    @Test(arguments: [1, 2])
    func sameThreadCountGivesBitIdenticalGradients(threads: Int) {
        let pool = ThreadPool(threads: threads)
        let first = ThreadPool.using(pool) { smallNetworkGradients(seed: 7) }
        for _ in 0..<3 {
            let again = ThreadPool.using(pool) { smallNetworkGradients(seed: 7) }
            #expect(again == first)
        }
    }

    /// Every reduction has a fixed order that does not depend on the thread count.
    @Test func oneAndTwoThreadsGiveBitIdenticalGradients() {
        let one = ThreadPool.using(ThreadPool(threads: 1)) { smallNetworkGradients(seed: 7) }
        let two = ThreadPool.using(ThreadPool(threads: 2)) { smallNetworkGradients(seed: 7) }
        #expect(one == two)
    }

    /// Batches smaller than the thread count split each GEMM by output channel across threads;
    /// larger ones put images side by side: both must give what one thread gives.
    @Test(arguments: [1, 2, 3])
    func smallBatchConvolutionIsTheSameOnOneAndFourThreads(batch: Int) {
        var rng = Philox(seed: 5)
        let x = Tensor(rng.uniform(batch * 3 * 19 * 21, low: -1, high: 1), shape: [batch, 3, 19, 21])
        let w = Tensor(rng.uniform(70 * 27, low: -1, high: 1), shape: [70, 3, 3, 3])
        let b = Tensor(rng.uniform(70, low: -1, high: 1), shape: [70])
        let one = ThreadPool.using(ThreadPool(threads: 1)) { conv2d(x, w, bias: b, stride: 2, padding: 1).scalars }
        let four = ThreadPool.using(ThreadPool(threads: 4)) { conv2d(x, w, bias: b, stride: 2, padding: 1).scalars }
        #expect(one == four)
    }

    /// A grouped convolution of one image splits each GEMM by output channel across threads.
    @Test func batchOneGroupedConvolutionIsTheSameOnOneAndTwoThreads() {
        var rng = Philox(seed: 6)
        let x = Tensor(rng.uniform(6 * 19 * 21, low: -1, high: 1), shape: [1, 6, 19, 21])
        let w = Tensor(rng.uniform(96 * 2 * 9, low: -1, high: 1), shape: [96, 2, 3, 3])
        let one = ThreadPool.using(ThreadPool(threads: 1)) { conv2d(x, w, padding: 1, groups: 3).scalars }
        let two = ThreadPool.using(ThreadPool(threads: 2)) { conv2d(x, w, padding: 1, groups: 3).scalars }
        #expect(one == two)
    }

    /// Batch-1 inference splits a dense convolution into runs of output channels across threads.
    @Test func batchOneConvolutionIsTheSameOnOneAndTwoThreads() {
        var rng = Philox(seed: 5)
        let x = Tensor(rng.uniform(3 * 19 * 21, low: -1, high: 1), shape: [1, 3, 19, 21])
        let w = Tensor(rng.uniform(70 * 27, low: -1, high: 1), shape: [70, 3, 3, 3])
        let b = Tensor(rng.uniform(70, low: -1, high: 1), shape: [70])
        let one = ThreadPool.using(ThreadPool(threads: 1)) { conv2d(x, w, bias: b, stride: 2, padding: 1).scalars }
        let two = ThreadPool.using(ThreadPool(threads: 2)) { conv2d(x, w, bias: b, stride: 2, padding: 1).scalars }
        #expect(one == two)
    }

    @Test func randomNumbersDoNotDependOnThreads() {
        let one = ThreadPool.using(ThreadPool(threads: 1)) { () -> [Float] in var r = Philox(seed: 3); return r.uniform(100_003) }
        let two = ThreadPool.using(ThreadPool(threads: 2)) { () -> [Float] in var r = Philox(seed: 3); return r.uniform(100_003) }
        #expect(one == two)
        #expect(one.allSatisfy { $0 >= 0 && $0 < 1 })
    }
}
