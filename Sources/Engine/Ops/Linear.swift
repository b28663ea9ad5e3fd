/// A fully connected layer: x [N, in] · wᵀ + b with w [out, in], b [out] → [N, out] (torch.nn.functional.linear).
public func linear(_ x: Tensor, _ w: Tensor, bias: Tensor? = nil) -> Tensor {
    let started = Profiler.start()
    defer { Profiler.stop(started, "linear") }
    require(x.shape.rank == 2 && w.shape.rank == 2 && x.shape[1] == w.shape[1],
                 "linear: input \(x.shape) and weight \(w.shape) do not match (expected [N, in] and [out, in])")
    let (n, k, o) = (x.shape[0], x.shape[1], w.shape[0])
    if let bias { require(bias.shape == [o], "linear: bias \(bias.shape) for \(o) outputs") }
    let y = Tensor(uninitialized: [n, o])
    ThreadPool.shared.parallelFor(n) { rows in
        guard !rows.isEmpty else { return }
        BLAS.sgemm(transB: true, m: rows.count, n: o, k: k, a: x.data + rows.lowerBound * k, lda: k,
                   b: w.data, ldb: k, c: y.data + rows.lowerBound * o, ldc: o)
        if let bias { for r in rows { for j in 0..<o { y.data[r * o + j] += bias.data[j] } } }
    }
    if Autograd.needsGrad(x, w, bias) {
        Autograd.record([y]) {
            guard let dy = y.grad else { return }
            if x.requiresGrad {
                let (dx, accumulate) = x.gradTarget()
                BLAS.sgemm(m: n, n: k, k: o, a: dy.data, lda: o, b: w.data, ldb: k, beta: accumulate ? 1 : 0, c: dx, ldc: k)
            }
            if w.requiresGrad {
                let (dw, accumulate) = w.gradTarget()
                BLAS.sgemm(transA: true, m: o, n: k, k: n, a: dy.data, lda: o, b: x.data, ldb: k,
                           beta: accumulate ? 1 : 0, c: dw, ldc: k)
            }
            if let bias, bias.requiresGrad {
                let (db, accumulate) = bias.gradTarget()
                for j in 0..<o {
                    var sum: Float = 0
                    for r in 0..<n { sum += dy.data[r * o + j] }
                    db[j] = accumulate ? db[j] + sum : sum
                }
            }
        }
    }
    Trace.record(.linear, [x, w] + (bias.map { [$0] } ?? []), y)
    return y
}
