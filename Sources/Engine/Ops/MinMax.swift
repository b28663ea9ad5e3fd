/// Elementwise minimum and maximum with broadcasting, for box geometry in the loss.

/// Elementwise minimum with broadcasting; tied elements share the gradient equally (torch.minimum).
public func minimum(_ a: Tensor, _ b: Tensor) -> Tensor { extremum(a, b, op: "minimum", greater: false) }

/// Elementwise maximum with broadcasting; tied elements share the gradient equally (torch.maximum).
public func maximum(_ a: Tensor, _ b: Tensor) -> Tensor { extremum(a, b, op: "maximum", greater: true) }

/// The larger (or smaller) of a and b.
private struct Extremum: VectorZip {
    var greater: Bool
    @inline(__always) func callAsFunction(_ a: Vec, _ b: Vec) -> Vec {
        b.replacing(with: a, where: greater ? a .> b : a .< b)
    }
}

/// The share of the gradient that goes to a: 1 where a wins, ½ on a tie, 0 where it loses.
private struct WinnerShare: VectorZip {
    var greater: Bool
    @inline(__always) func callAsFunction(_ a: Vec, _ b: Vec) -> Vec {
        Vec(repeating: 0).replacing(with: 1, where: greater ? a .> b : a .< b).replacing(with: 0.5, where: a .== b)
    }
}

private func extremum(_ a: Tensor, _ b: Tensor, op: String, greater: Bool) -> Tensor {
    let bc = Broadcast(a.shape, b.shape, op: op)
    let y = Tensor(uninitialized: bc.shape)
    broadcastApply(bc, a.data, b.data, y.data, Extremum(greater: greater))
    if Autograd.needsGrad(a, b) {
        Autograd.record([y]) {
            guard let dy = y.grad else { return }
            let share = Tensor(uninitialized: bc.shape)
            func side(_ mine: Tensor, _ other: Tensor, _ strides: [Int]) {
                broadcastApply(Broadcast(mine.shape, other.shape, op: op), mine.data, other.data, share.data,
                               WinnerShare(greater: greater))
                zipElements(share.data, dy.data, into: share.data, accumulate: false, share.count, Times())
                reduceBroadcast(bc, share.data, strides: strides, into: mine)
            }
            if a.requiresGrad { side(a, b, bc.strideA) }
            if b.requiresGrad { side(b, a, bc.strideB) }
        }
    }
    return y
}
