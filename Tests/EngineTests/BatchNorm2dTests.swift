import Engine
import Testing

/// batchNorm2d in Double, returning y and the new running statistics.
func referenceBatchNorm(_ x: [Double], _ s: Shape, _ gamma: [Double], _ beta: [Double],
                        training: Bool, runningMean: [Double], runningVar: [Double], eps: Double)
    -> (y: [Double], mean: [Double], variance: [Double]) {
    let (n, c, plane) = (s[0], s[1], s[2] * s[3])
    var y = x, mean = runningMean, unbiased = runningVar
    for ch in 0..<c {
        var values: [Double] = []
        for img in 0..<n { for i in 0..<plane { values.append(x[(img * c + ch) * plane + i]) } }
        let m = training ? values.reduce(0, +) / Double(values.count) : runningMean[ch]
        let v = training ? values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(values.count) : runningVar[ch]
        mean[ch] = m
        unbiased[ch] = v * Double(values.count) / Double(values.count - 1)
        for img in 0..<n { for i in 0..<plane {
            let j = (img * c + ch) * plane + i
            y[j] = (x[j] - m) / (v + eps).squareRoot() * gamma[ch] + beta[ch]
        } }
    }
    return (y, mean, unbiased)
}

struct BatchNorm2dTests {
    @Test(arguments: [true, false])
    func matchesReferenceAndFiniteDifferences(training: Bool) {
        let shape = Shape([3, 4, 5, 7])
        let rm = Tensor([0.1, -0.2, 0.3, 0], shape: [4]), rv = Tensor([1.5, 0.5, 2, 1], shape: [4])
        let rmd = rm.scalars.map(Double.init), rvd = rv.scalars.map(Double.init)
        gradCheck([shape, [4], [4]],
                  op: { batchNorm2d($0[0], weight: $0[1], bias: $0[2], runningMean: rm.copy(), runningVar: rv.copy(),
                                    training: training, momentum: 0.03, eps: 1e-3) },
                  reference: { referenceBatchNorm($0[0], shape, $0[1], $0[2], training: training,
                                                  runningMean: rmd, runningVar: rvd, eps: 1e-3).y })
    }

    @Test func trainingUpdatesRunningStatisticsLikePyTorch() {
        let shape = Shape([2, 3, 4, 4])
        let x = Tensor(testValues(shape.count, seed: 9).map { $0 * 3 + 1 }, shape: shape)
        let rm = Tensor(repeating: 0, shape: [3]), rv = Tensor(repeating: 1, shape: [3])
        _ = batchNorm2d(x, weight: Tensor(repeating: 1, shape: [3]), bias: Tensor(repeating: 0, shape: [3]),
                        runningMean: rm, runningVar: rv, training: true, momentum: 0.03, eps: 1e-3)
        let ref = referenceBatchNorm(x.scalars.map(Double.init), shape, [1, 1, 1], [0, 0, 0], training: true,
                                     runningMean: [0, 0, 0], runningVar: [1, 1, 1], eps: 1e-3)
        for ch in 0..<3 {
            // running = (1 − momentum)·running + momentum·batch (torch.nn.BatchNorm2d, unbiased variance)
            #expect(abs(Double(rm.scalars[ch]) - 0.03 * ref.mean[ch]) < 1e-6)
            #expect(abs(Double(rv.scalars[ch]) - (0.97 + 0.03 * ref.variance[ch])) < 1e-5)
        }
    }
}
