import Foundation

/// Reverse-mode automatic differentiation: a tape of backward closures in execution order.
///
/// Ops append to the tape when grad mode is on and an input requires a gradient;
/// `Tensor.backward()` runs the tape in reverse and empties it. Each thread has its own tape, so
/// independent models can be trained (or tested) on different threads.
public enum Autograd {
    struct Entry {
        let name: StaticString
        let outputs: [Tensor]
        let backward: () -> Void
    }

    final class State {
        var tape: [Entry] = []
        var gradEnabled = true
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { raw in if let raw { Unmanaged<State>.fromOpaque(raw).release() } }
        return key
    }()

    /// This thread's tape and grad mode.
    static var state: State {
        if let raw = pthread_getspecific(key) { return Unmanaged<State>.fromOpaque(raw).takeUnretainedValue() }
        let state = State()
        pthread_setspecific(key, Unmanaged.passRetained(state).toOpaque())
        return state
    }

    static var tape: [Entry] {
        get { state.tape }
        set { state.tape = newValue }
    }

    static var gradEnabled: Bool {
        get { state.gradEnabled }
        set { state.gradEnabled = newValue }
    }

    /// Whether an op on `inputs` must record its backward.
    @inline(__always)
    static func needsGrad(_ inputs: Tensor?...) -> Bool {
        gradEnabled && inputs.contains { $0?.requiresGrad == true }
    }

    /// Records the backward of an op whose `outputs` were just computed.
    static func record(_ outputs: [Tensor], name: StaticString = #function, _ backward: @escaping () -> Void) {
        for output in outputs { output.requiresGrad = true }
        state.tape.append(Entry(name: name, outputs: outputs, backward: backward))
    }

    /// Runs `body` without recording anything: for evaluation and for weight updates.
    public static func withoutGrad<T>(_ body: () throws -> T) rethrows -> T {
        let saved = gradEnabled
        gradEnabled = false
        defer { gradEnabled = saved }
        return try body()
    }

    /// Whether ops are currently recorded.
    public static var isEnabled: Bool { gradEnabled }

    /// Drops everything recorded, e.g. after a forward pass whose loss is not differentiated.
    public static func reset() { state.tape.removeAll(keepingCapacity: true) }
}

extension Tensor {
    /// Computes the gradient of this one-element tensor with respect to every recorded input.
    ///
    /// Gradients accumulate into `grad` of the leaves (parameters, inputs); the gradients of
    /// intermediate tensors are released as soon as they have been propagated.
    public func backward() {
        require(count == 1, "backward: needs a one-element loss, got shape \(shape)")
        backward(gradient: Tensor([1], shape: shape))
    }

    /// Back-propagates `gradient` (dL/dself, same shape) through everything recorded.
    public func backward(gradient: Tensor) {
        require(gradient.shape == shape, "backward: gradient shape \(gradient.shape) for tensor \(shape)")
        let (g, accumulate) = gradTarget()
        zipElements(gradient.data, gradient.data, into: g, accumulate: accumulate, count, ScaledFirst())
        let state = Autograd.state
        let tape = state.tape
        state.tape.removeAll(keepingCapacity: true)
        Autograd.withoutGrad {
            for entry in tape.reversed() where entry.outputs.contains(where: { $0.grad != nil }) {
                let started = Profiler.start()
                entry.backward()
                Profiler.stop(started, "\(entry.name) backward")
                for output in entry.outputs { output.grad = nil }
            }
        }
    }
}
