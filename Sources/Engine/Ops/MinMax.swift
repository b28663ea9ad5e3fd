/// Elementwise minimum and maximum with broadcasting, for box geometry in the loss.

/// Elementwise minimum with broadcasting; tied elements share the gradient equally (torch.minimum).
public func minimum(_ a: Tensor, _ b: Tensor) -> Tensor { extremum(a, b, op: "minimum", takeA: { $0 .< $1 }) }

/// Elementwise maximum with broadcasting; tied elements share the gradient equally (torch.maximum).
public func maximum(_ a: Tensor, _ b: Tensor) -> Tensor { extremum(a, b, op: "maximum", takeA: { $0 .> $1 }) }

private func extremum(_ a: Tensor, _ b: Tensor, op: String, takeA: @escaping (Vec, Vec) -> SIMDMask<SIMD16<Int32>>) -> Tensor {
    let bc = Broadcast(a.shape, b.shape, op: op)
    let y = Tensor(uninitialized: bc.shape)
    broadcastApply(bc, a.data, b.data, y.data) { x, z in z.replacing(with: x, where: takeA(x, z) .| (x .== z)) }
    if Autograd.needsGrad(a, b) {
        Autograd.record([y]) {
            guard let dy = y.grad else { return }
            let share = Tensor(uninitialized: bc.shape)
            // The share of dy each side gets: 1 where it wins, ½ on ties, 0 where it loses.
            func side(_ mine: Tensor, _ other: Tensor, _ strides: [Int], _ wins: @escaping (Vec, Vec) -> SIMDMask<SIMD16<Int32>>) {
                broadcastApply(bc, a.data, b.data, share.data) { x, z in
                    let (m, o) = mine === a ? (x, z) : (z, x)
                    return Vec(repeating: 0).replacing(with: 1, where: wins(m, o)).replacing(with: 0.5, where: m .== o)
                }
                zipElements(share.data, dy.data, into: share.data, accumulate: false, share.count) { $0 * $1 }
                reduceBroadcast(bc, share.data, strides: strides, into: mine)
            }
            if a.requiresGrad { side(a, b, bc.strideA, takeA) }
            if b.requiresGrad { side(b, a, bc.strideB, takeA) }
        }
    }
    return y
}
