import Engine
import Testing

/// The broadcast result of f over two shapes, computed index by index in Double.
func referenceBroadcast(_ a: [Double], _ sa: Shape, _ b: [Double], _ sb: Shape, _ f: (Double, Double) -> Double) -> [Double] {
    let rank = max(sa.rank, sb.rank)
    let da = [Int](repeating: 1, count: rank - sa.rank) + sa.dims
    let db = [Int](repeating: 1, count: rank - sb.rank) + sb.dims
    let out = zip(da, db).map { max($0, $1) }
    let total = out.reduce(1, *)
    var y = [Double](repeating: 0, count: total)
    for flat in 0..<total {
        var rest = flat, ia = 0, ib = 0, ma = 1, mb = 1
        for d in stride(from: rank - 1, through: 0, by: -1) {
            let i = rest % out[d]
            rest /= out[d]
            ia += (da[d] == 1 ? 0 : i) * ma
            ib += (db[d] == 1 ? 0 : i) * mb
            ma *= da[d]
            mb *= db[d]
        }
        y[flat] = f(a[ia], b[ib])
    }
    return y
}

struct ArithmeticTests {
    static let shapes: [(Shape, Shape)] = [
        ([2, 3, 4, 5], [2, 3, 4, 5]),
        ([2, 3, 4, 5], [2, 3, 1, 1]),   // squeeze-and-excitation
        ([2, 3, 4, 5], [1, 3, 1, 1]),   // per-channel
        ([1, 3, 1, 5], [2, 1, 4, 1]),   // both broadcast
        ([2, 3, 4, 5], [5]),            // trailing, lower rank
        ([4, 1], [1]),                  // scalar-like
        ([3, 37], [3, 37]),             // rows longer than a vector
    ]
    nonisolated(unsafe) static let ops: [(String, (Tensor, Tensor) -> Tensor, (Double, Double) -> Double)] = [
        ("add", add, { $0 + $1 }), ("sub", sub, { $0 - $1 }), ("mul", mul, { $0 * $1 }),
        ("div", div, { $0 / $1 }),
    ]

    @Test(arguments: 0..<4, 0..<7)
    func broadcastsLikeNumPy(op: Int, shapes: Int) {
        let (_, f, g) = Self.ops[op]
        let (sa, sb) = Self.shapes[shapes]
        // Keep divisors away from zero.
        let bValues = testValues(sb.count, seed: 77).map { $0 + ($0 >= 0 ? 1.5 : -1.5) }
        gradCheck([sa, sb], values: [testValues(sa.count, seed: 5), bValues],
                  op: { f($0[0], $0[1]) }, reference: { referenceBroadcast($0[0], sa, $0[1], sb, g) })
    }

    @Test func scalarAffine() {
        gradCheck([[3, 5]], op: { $0[0] * 2.5 + 1 }, reference: { $0[0].map { $0 * 2.5 + 1 } })
        gradCheck([[3, 5]], op: { -$0[0] - 1 }, reference: { $0[0].map { -$0 - 1 } })
    }
}
