/// Block-wise access for the optimiser kernels: 16 floats at a time, a short block at the end.
extension UnsafeMutablePointer where Pointee == Float {
    /// `n` ≤ 16 floats from `i`, zero-padded to a vector.
    @inline(__always) func block(_ i: Int, _ n: Int) -> Vec {
        if n == 16 { return vec(i) }
        var v = Vec(repeating: 0)
        for j in 0..<n { v[j] = self[i + j] }
        return v
    }

    /// Stores the first `n` ≤ 16 lanes of `v` at `i`.
    @inline(__always) func setBlock(_ v: Vec, _ i: Int, _ n: Int) {
        if n == 16 { return store(v, i) }
        for j in 0..<n { self[i + j] = v[j] }
    }
}

/// An elementwise update of the `n` ≤ 16 elements at `i`. Kernels are generic types rather than
/// closures so that they inline inside the parallel region.
protocol BlockKernel { func callAsFunction(_ i: Int, _ n: Int) }

/// Runs `kernel` on consecutive blocks covering `0..<count`, split across the pool. Each element
/// belongs to one block, so elementwise updates give the same bits whatever the thread count.
@inline(__always)
func forEachBlock<K: BlockKernel>(_ count: Int, _ kernel: K) {
    parallelElements(count) { range in
        var i = range.lowerBound
        while i < range.upperBound {
            let n = min(16, range.upperBound - i)
            kernel(i, n)
            i += n
        }
    }
}
