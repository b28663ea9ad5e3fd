import Engine
import Testing

/// cblas_sgemm through `BLAS.sgemm` against a naive triple loop, with and without transposes.
struct BLASTests {
    /// A naive row-major product C = op(A)·op(B) in Double, the oracle for sgemm.
    func naive(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int, transA: Bool, transB: Bool) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    let x = transA ? a[p * m + i] : a[i * k + p]
                    let y = transB ? b[j * k + p] : b[p * n + j]
                    sum += Double(x) * Double(y)
                }
                c[i * n + j] = Float(sum)
            }
        }
        return c
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func sgemmMatchesNaiveLoop(transA: Bool, transB: Bool) {
        let (m, n, k) = (37, 29, 53)
        let a = (0..<(m * k)).map { Float(($0 * 7919) % 97) / 97 - 0.5 }
        let b = (0..<(k * n)).map { Float(($0 * 104_729) % 89) / 89 - 0.5 }
        var c = [Float](repeating: 0, count: m * n)
        BLAS.sgemm(transA: transA, transB: transB, m: m, n: n, k: k,
                   a: a, lda: transA ? m : k, b: b, ldb: transB ? k : n, c: &c, ldc: n)
        let expected = naive(a, b, m: m, n: n, k: k, transA: transA, transB: transB)
        let maxDiff = zip(c, expected).map { abs($0 - $1) }.max()!
        #expect(maxDiff < 1e-5, "max |sgemm - naive| = \(maxDiff)")
    }

    @Test func betaAccumulatesIntoC() {
        let a: [Float] = [1, 2, 3, 4], b: [Float] = [5, 6, 7, 8]
        var c: [Float] = [1, 1, 1, 1]
        BLAS.sgemm(m: 2, n: 2, k: 2, alpha: 2, a: a, lda: 2, b: b, ldb: 2, beta: 1, c: &c, ldc: 2)
        #expect(c == [39, 45, 87, 101])
    }

    @Test func reportsItsConfiguration() {
        #expect(BLAS.configuration.hasPrefix("OpenBLAS"))
        #expect(BLAS.threadCount >= 1)
    }
}
