/// Broadcasting a tensor to a larger shape (torch.Tensor.expand, ONNX Expand), forward and
/// backward side by side.

/// x repeated along its size-1 dimensions to `shape` (ASPP's image-pooling branch, 1×1 → H×W).
public func expand(_ x: Tensor, to shape: Shape) -> Tensor {
    let started = Profiler.start()
    defer { Profiler.stop(started, "expand") }
    // The same broadcast, strides and sums as `add(Tensor(zeros: shape), x)`, which it replaces.
    let bc = Broadcast(shape, x.shape, op: "expand")
    require(bc.shape == shape, "expand: \(x.shape) does not broadcast to \(shape)")
    let y = Tensor(uninitialized: bc.shape)
    broadcastApply(bc, y.data, x.data, y.data, Second())
    if Autograd.needsGrad(x) {
        Autograd.record([y]) {
            guard let dy = y.grad else { return }
            reduceBroadcast(bc, dy.data, strides: bc.strideB, into: x)
        }
    }
    Trace.record(.expand(shape.dims), [x], y)
    return y
}
