/// NumPy-style broadcasting of two shapes, collapsed to the fewest dimensions for iteration.
///
/// Shapes are aligned on the right; a dimension of 1 (or a missing one) repeats. Adjacent
/// dimensions that are contiguous in both operands merge, so [N,C,H,W] ⊙ [N,C,1,1] iterates as
/// N·C rows of H·W with the second operand constant along each row.
struct Broadcast {
    let shape: Shape
    /// Collapsed dimensions (outermost first) and each operand's element stride along them (0 = repeated).
    let dims: [Int]
    let strideA: [Int], strideB: [Int]

    /// Broadcasts `a` with `b`, or stops naming `op` and both shapes when they are incompatible.
    init(_ a: Shape, _ b: Shape, op: String) {
        let rank = max(a.rank, b.rank)
        let da = [Int](repeating: 1, count: rank - a.rank) + a.dims
        let db = [Int](repeating: 1, count: rank - b.rank) + b.dims
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            require(da[i] == db[i] || da[i] == 1 || db[i] == 1,
                         "\(op): shapes \(a) and \(b) cannot be broadcast together (dimension \(i): \(da[i]) vs \(db[i]))")
            out[i] = max(da[i], db[i])
        }
        shape = Shape(out)
        func strides(_ d: [Int]) -> [Int] {
            var s = [Int](repeating: 0, count: rank), running = 1
            for i in stride(from: rank - 1, through: 0, by: -1) {
                s[i] = d[i] == 1 ? 0 : running
                running *= d[i]
            }
            return s
        }
        var dims: [Int] = [], sa: [Int] = [], sb: [Int] = []
        let fa = strides(da), fb = strides(db)
        for i in 0..<rank where out[i] != 1 {
            if let last = dims.indices.last,
               sa[last] == fa[i] * out[i], sb[last] == fb[i] * out[i] {
                dims[last] *= out[i]
                sa[last] = fa[i]
                sb[last] = fb[i]
            } else {
                dims.append(out[i]); sa.append(fa[i]); sb.append(fb[i])
            }
        }
        if dims.isEmpty { dims = [1]; sa = [0]; sb = [0] }
        self.dims = dims
        strideA = sa
        strideB = sb
    }

    /// Elements per row (the innermost collapsed dimension) and the number of rows.
    var inner: Int { dims[dims.count - 1] }
    var rows: Int { shape.count / inner }

    /// The element offsets of row `row` in the output, a and b.
    @inline(__always)
    func offsets(row: Int) -> (out: Int, a: Int, b: Int) {
        var rest = row, oa = 0, ob = 0
        var d = dims.count - 2
        while d >= 0 {
            let i = rest % dims[d]
            rest /= dims[d]
            oa += i * strideA[d]
            ob += i * strideB[d]
            d -= 1
        }
        return (row * inner, oa, ob)
    }
}

/// out = f(a, b) with broadcasting, rows split across the pool.
func broadcastApply<F: VectorZip>(_ bc: Broadcast, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                  _ out: UnsafeMutablePointer<Float>, _ f: F) {
    let n = bc.inner, ia = bc.strideA[bc.dims.count - 1], ib = bc.strideB[bc.dims.count - 1]
    func row(_ r: Int, _ range: Range<Int>) {
        let (o, oa, ob) = bc.offsets(row: r)
        let y = out + o, pa = a + oa, pb = b + ob
        var i = range.lowerBound
        func load(_ p: UnsafePointer<Float>, _ stride: Int, _ i: Int) -> Vec {
            stride == 1 ? p.vec(i) : Vec(repeating: p[0])
        }
        while i + 16 <= range.upperBound {
            y.store(f(load(pa, ia, i), load(pb, ib, i)), i)
            i += 16
        }
        while i < range.upperBound {
            y[i] = f(Vec(repeating: pa[i * ia]), Vec(repeating: pb[i * ib]))[0]
            i += 1
        }
    }
    if bc.rows == 1 {
        parallelElements(n) { range in row(0, range) }
    } else {
        ThreadPool.shared.parallelFor(bc.rows) { rows in for r in rows { row(r, 0..<n) } }
    }
}

/// Adds `full` (of the broadcast output's shape) into `target`, summing over the dimensions that
/// `target` repeats: the gradient of a broadcast operand. `strides` are that operand's strides.
func reduceBroadcast(_ bc: Broadcast, _ full: UnsafePointer<Float>, strides: [Int],
                     into target: Tensor) {
    let (t, accumulate) = target.gradTarget()
    if target.count == bc.shape.count {
        zipElements(full, full, into: t, accumulate: accumulate, target.count, ScaledFirst())
        return
    }
    if !accumulate { t.update(repeating: 0, count: target.count) }
    let n = bc.inner, inner = strides[strides.count - 1]
    for r in 0..<bc.rows {
        var rest = r, offset = 0
        var d = bc.dims.count - 2
        while d >= 0 {
            offset += (rest % bc.dims[d]) * strides[d]
            rest /= bc.dims[d]
            d -= 1
        }
        let src = full + r * n, dst = t + offset
        if inner == 1 {
            for i in 0..<n { dst[i] += src[i] }
        } else {
            dst[0] += Reduce.sum(src, n)
        }
    }
}
