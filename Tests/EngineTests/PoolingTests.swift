import Engine
import Testing

/// Max or average over each pooling window in Double; average divides by the padded window size.
func referencePool(_ x: [Double], _ s: Shape, kernel: Int, stride: Int, padding: Int, max isMax: Bool) -> [Double] {
    let (nc, h, w) = (s[0] * s[1], s[2], s[3])
    let oh = (h + 2 * padding - kernel) / stride + 1, ow = (w + 2 * padding - kernel) / stride + 1
    var y: [Double] = []
    for p in 0..<nc { for oy in 0..<oh { for ox in 0..<ow {
        var best = -Double.infinity, sum = 0.0
        let ys = oy * stride - padding, xs = ox * stride - padding
        for iy in ys..<(ys + kernel) { for ix in xs..<(xs + kernel) where iy >= 0 && iy < h && ix >= 0 && ix < w {
            let v = x[(p * h + iy) * w + ix]
            best = max(best, v)
            sum += v
        } }
        let divisor = Double((min(ys + kernel, h + padding) - ys) * (min(xs + kernel, w + padding) - xs))
        y.append(isMax ? best : sum / divisor)
    } } }
    return y
}

struct PoolingTests {
    @Test(arguments: [(5, 1, 2), (3, 2, 1), (2, 2, 0), (3, 2, 0)])
    func maxPoolMatchesReference(kernel: Int, stride: Int, padding: Int) {
        let s = Shape([2, 3, 7, 6])
        gradCheck([s], op: { maxPool2d($0[0], kernel: kernel, stride: stride, padding: padding) },
                  reference: { referencePool($0[0], s, kernel: kernel, stride: stride, padding: padding, max: true) })
    }

    /// Ties and NaNs: the gradient goes where PyTorch's scan sends it — the first maximum in scan
    /// order, or the last NaN — on planes wider than one 16-lane vector, with and without padding.
    @Test(arguments: [(5, 1, 2, 21), (3, 1, 1, 21), (5, 1, 0, 21), (3, 2, 1, 21), (3, 2, 1, 45), (2, 2, 0, 40)])
    func maxPoolPicksTheFirstMaximumOrTheLastNaN(kernel: Int, stride: Int, padding: Int, width w: Int) {
        let (n, h) = (2, 7)
        // Few distinct values: many ties. Two NaNs in the first plane, one in the last.
        var values = testValues(n * h * w, seed: 41).map { ($0 * 3).rounded() }
        values[2 * w + 5] = .nan
        values[3 * w + 6] = .nan
        values[values.count - 9] = .nan
        let x = Tensor(values, shape: [n, 1, h, w], requiresGrad: true)
        let y = maxPool2d(x, kernel: kernel, stride: stride, padding: padding)
        let r = testValues(y.count, seed: 42)
        y.backward(gradient: Tensor(r, shape: y.shape))
        let (oh, ow) = (y.shape[2], y.shape[3])
        var expectedY = [Float](), expectedDx = [Float](repeating: 0, count: values.count)
        for img in 0..<n { for oy in 0..<oh { for ox in 0..<ow {
            let (y0, x0) = (max(oy * stride - padding, 0), max(ox * stride - padding, 0))
            let (y1, x1) = (min(oy * stride - padding + kernel, h), min(ox * stride - padding + kernel, w))
            var best = -Float.infinity, at = img * h * w + y0 * w + x0
            for iy in y0..<y1 { for ix in x0..<x1 {
                let v = values[img * h * w + iy * w + ix]
                if v > best || v.isNaN { (best, at) = (v, img * h * w + iy * w + ix) }
            } }
            expectedY.append(best)
            expectedDx[at] += r[(img * oh + oy) * ow + ox]
        } } }
        #expect(y.scalars.map(\.bitPattern) == expectedY.map(\.bitPattern))
        #expect(x.grad!.scalars == expectedDx)
    }

    @Test(arguments: [(3, 2, 1), (2, 2, 0), (3, 1, 1)])
    func avgPoolMatchesReference(kernel: Int, stride: Int, padding: Int) {
        let s = Shape([2, 3, 7, 6])
        gradCheck([s], op: { avgPool2d($0[0], kernel: kernel, stride: stride, padding: padding) },
                  reference: { referencePool($0[0], s, kernel: kernel, stride: stride, padding: padding, max: false) })
    }

    @Test func globalAverage() {
        gradCheck([[2, 3, 5, 4]], op: { globalAvgPool($0[0]) }, reference: { xs in
            (0..<6).map { p in xs[0][(p * 20)..<(p * 20 + 20)].reduce(0, +) / 20 }
        })
    }

    @Test func nearestUpsample() {
        gradCheck([[2, 2, 3, 4]], op: { upsampleNearest($0[0], factor: 2) }, reference: { xs in
            var y: [Double] = []
            for p in 0..<4 { for oy in 0..<6 { for ox in 0..<8 { y.append(xs[0][(p * 3 + oy / 2) * 4 + ox / 2]) } } }
            return y
        })
    }

    @Test func linearLayer() {
        func reference(_ xs: [[Double]]) -> [Double] {
            var y: [Double] = []
            for r in 0..<5 {
                for j in 0..<3 {
                    var sum = xs[2][j]
                    for i in 0..<7 { sum += xs[0][r * 7 + i] * xs[1][j * 7 + i] }
                    y.append(sum)
                }
            }
            return y
        }
        let shapes: [Shape] = [[5, 7], [3, 7], [3]]
        gradCheck(shapes, op: { linear($0[0], $0[1], bias: $0[2]) }, reference: reference)
    }
}
