/// Elementwise arithmetic with broadcasting over any dimensions (e.g. squeeze-and-excitation's
/// [N, C, H, W] · [N, C, 1, 1]), forward and backward side by side.

/// a + b.
public func add(_ a: Tensor, _ b: Tensor) -> Tensor {
    let started = Profiler.start()
    defer { Profiler.stop(started, "add") }
    let bc = Broadcast(a.shape, b.shape, op: "add")
    let y = Tensor(uninitialized: bc.shape)
    broadcastApply(bc, a.data, b.data, y.data, Plus())
    if Autograd.needsGrad(a, b) {
        Autograd.record([y]) {
            guard let dy = y.grad else { return }
            if a.requiresGrad { reduceBroadcast(bc, dy.data, strides: bc.strideA, into: a) }
            if b.requiresGrad { reduceBroadcast(bc, dy.data, strides: bc.strideB, into: b) }
        }
    }
    Trace.record(.add, [a, b], y)
    return y
}

/// a − b.
public func sub(_ a: Tensor, _ b: Tensor) -> Tensor {
    let started = Profiler.start()
    defer { Profiler.stop(started, "sub") }
    let bc = Broadcast(a.shape, b.shape, op: "sub")
    let y = Tensor(uninitialized: bc.shape)
    broadcastApply(bc, a.data, b.data, y.data, Minus())
    if Autograd.needsGrad(a, b) {
        Autograd.record([y]) {
            guard let dy = y.grad else { return }
            if a.requiresGrad { reduceBroadcast(bc, dy.data, strides: bc.strideA, into: a) }
            if b.requiresGrad {
                let negated = Tensor(uninitialized: bc.shape)
                mapElements(dy.data, negated.data, dy.count, Affine(scale: -1, shift: 0))
                reduceBroadcast(bc, negated.data, strides: bc.strideB, into: b)
            }
        }
    }
    Trace.record(.sub, [a, b], y)
    return y
}

/// a · b.
public func mul(_ a: Tensor, _ b: Tensor) -> Tensor {
    let started = Profiler.start()
    defer { Profiler.stop(started, "mul") }
    let bc = Broadcast(a.shape, b.shape, op: "mul")
    let y = Tensor(uninitialized: bc.shape)
    broadcastApply(bc, a.data, b.data, y.data, Times())
    if Autograd.needsGrad(a, b) {
        Autograd.record([y]) {
            guard let dy = y.grad else { return }
            let product = Tensor(uninitialized: bc.shape)
            // dL/da = dy · b and dL/db = dy · a, each summed over what the operand repeats.
            if a.requiresGrad {
                broadcastApply(Broadcast(dy.shape, b.shape, op: "mul backward"), dy.data, b.data, product.data, Times())
                reduceBroadcast(bc, product.data, strides: bc.strideA, into: a)
            }
            if b.requiresGrad {
                broadcastApply(Broadcast(dy.shape, a.shape, op: "mul backward"), dy.data, a.data, product.data, Times())
                reduceBroadcast(bc, product.data, strides: bc.strideB, into: b)
            }
        }
    }
    Trace.record(.mul, [a, b], y)
    return y
}

/// a / b.
public func div(_ a: Tensor, _ b: Tensor) -> Tensor {
    let started = Profiler.start()
    defer { Profiler.stop(started, "div") }
    let bc = Broadcast(a.shape, b.shape, op: "div")
    let y = Tensor(uninitialized: bc.shape)
    broadcastApply(bc, a.data, b.data, y.data, Over())
    if Autograd.needsGrad(a, b) {
        Autograd.record([y]) {
            guard let dy = y.grad else { return }
            let term = Tensor(uninitialized: bc.shape)
            let byB = Broadcast(dy.shape, b.shape, op: "div backward")
            // dL/da = dy / b; dL/db = −dy · y / b.
            broadcastApply(byB, dy.data, b.data, term.data, Over())
            if a.requiresGrad { reduceBroadcast(bc, term.data, strides: bc.strideA, into: a) }
            if b.requiresGrad {
                zipElements(term.data, y.data, into: term.data, accumulate: false, term.count, NegatedProduct())
                reduceBroadcast(bc, term.data, strides: bc.strideB, into: b)
            }
        }
    }
    Trace.record(.div, [a, b], y)
    return y
}

/// x · s + t for scalars s and t.
public func affine(_ x: Tensor, scale s: Float, shift t: Float = 0) -> Tensor {
    let started = Profiler.start()
    defer { Profiler.stop(started, "affine") }
    let y = Tensor(uninitialized: x.shape)
    mapElements(x.data, y.data, x.count, Affine(scale: s, shift: t))
    if Autograd.needsGrad(x) {
        Autograd.record([y]) {
            guard let dy = y.grad else { return }
            let (dx, accumulate) = x.gradTarget()
            zipElements(dy.data, dy.data, into: dx, accumulate: accumulate, x.count, ScaledFirst(scale: s))
        }
    }
    Trace.record(.affine(scale: s, shift: t), [x], y)
    return y
}

/// Operators for the broadcasting ops above, and for scalar scale and shift.
public func + (a: Tensor, b: Tensor) -> Tensor { add(a, b) }
public func - (a: Tensor, b: Tensor) -> Tensor { sub(a, b) }
public func * (a: Tensor, b: Tensor) -> Tensor { mul(a, b) }
public func / (a: Tensor, b: Tensor) -> Tensor { div(a, b) }
public func * (a: Tensor, s: Float) -> Tensor { affine(a, scale: s) }
public func + (a: Tensor, t: Float) -> Tensor { affine(a, scale: 1, shift: t) }
public func - (a: Tensor, t: Float) -> Tensor { affine(a, scale: 1, shift: -t) }
public prefix func - (a: Tensor) -> Tensor { affine(a, scale: -1) }

/// −a·b.
private struct NegatedProduct: VectorZip { @inline(__always) func callAsFunction(_ a: Vec, _ b: Vec) -> Vec { -(a * b) } }
