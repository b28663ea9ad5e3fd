import Dispatch

/// The machine's two ceilings, measured on the spot with every thread of the pool: FP32 FMA
/// throughput and memory bandwidth — the roofline `studyctl bench --model` sets the engine against.
///
/// Measured, not looked up: these shared vCPUs run at whatever clock and neighbour load the moment
/// gives, so a share of a datasheet peak would mislead.
public enum Roofline {
    public struct Ceilings: Sendable, Codable {
        /// FP32 GFLOP/s of independent 8-wide FMA chains on every thread (2 FLOPs per lane per FMA).
        public let gflops: Double
        /// GB/s of a streaming scale-copy (bytes read plus bytes written) over 128 MiB buffers.
        public let gbPerSecond: Double
        public let threads: Int
    }

    /// Both ceilings, each the best of three timed passes.
    public static func measure() -> Ceilings {
        Ceilings(gflops: fmaPeak(), gbPerSecond: bandwidth(), threads: ThreadPool.shared.threadCount)
    }

    /// Keeps the FMA results observable, so the chains are not optimised away.
    nonisolated(unsafe) static var sink: Float = 0

    /// 12 independent chains of SIMD8 FMAs per thread: enough to cover the FMA latency on two
    /// pipes, few enough to stay in 16 vector registers.
    static func fmaPeak() -> Double {
        let threads = ThreadPool.shared.threadCount, iterations = 1 << 22
        var best = 0.0
        for _ in 0..<3 {
            let sums = UnsafeMutablePointer<Float>.allocate(capacity: threads)
            defer { sums.deallocate() }
            let start = DispatchTime.now().uptimeNanoseconds
            ThreadPool.shared.parallelForThread(threads) { thread, _ in
                let seed = Float(thread + 1) * 1e-7
                let b = SIMD8<Float>(repeating: 1 - seed), c = SIMD8<Float>(repeating: seed)
                var a0 = b, a1 = b + c, a2 = b - c, a3 = c, a4 = b * c, a5 = b + 2 * c
                var a6 = b - 2 * c, a7 = 2 * c, a8 = b + 3 * c, a9 = b - 3 * c, a10 = 3 * c, a11 = b * b
                for _ in 0..<iterations {
                    a0 = a0.addingProduct(b, c); a1 = a1.addingProduct(b, c); a2 = a2.addingProduct(b, c)
                    a3 = a3.addingProduct(b, c); a4 = a4.addingProduct(b, c); a5 = a5.addingProduct(b, c)
                    a6 = a6.addingProduct(b, c); a7 = a7.addingProduct(b, c); a8 = a8.addingProduct(b, c)
                    a9 = a9.addingProduct(b, c); a10 = a10.addingProduct(b, c); a11 = a11.addingProduct(b, c)
                }
                sums[thread] = (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11).sum()
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            for t in 0..<threads { sink += sums[t] }
            best = max(best, Double(threads * iterations * 12 * 8 * 2) / seconds / 1e9)
        }
        return best
    }

    /// y = x · s over 32 Mi floats, split across the threads; 8 bytes moved per element.
    static func bandwidth() -> Double {
        let count = 32 << 20
        let x = Storage(count: count), y = Storage(count: count)
        x.pointer.initialize(repeating: 1, count: count)
        y.pointer.initialize(repeating: 0, count: count)
        var best = 0.0
        for pass in 0..<4 {
            let start = DispatchTime.now().uptimeNanoseconds
            mapElements(x.pointer, y.pointer, count, Affine(scale: 1.0001, shift: 0))
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if pass > 0 { best = max(best, Double(8 * count) / seconds / 1e9) }  // the first pass faults pages in
        }
        sink += y.pointer[count - 1]
        return best
    }
}
