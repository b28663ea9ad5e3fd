import Foundation

/// The key of each thread's trace.
private let traceKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()

/// The ops one forward pass runs, with their inputs, outputs and attributes — what an exporter
/// turns into a graph (as `torch.onnx.export` traces a module).
///
/// Recording is off unless a pass runs inside `Trace.recording`; then every op below appends a
/// node. Tensors are held by reference, so a tensor's identity names its value in the graph.
public final class Trace {
    /// An op and what it needs beyond its tensor inputs.
    public enum Op: Sendable, Equatable {
        /// Inputs x, w and, when present, the bias.
        case conv2d(stride: Int, padding: Int, dilation: Int, groups: Int)
        case activation(Activation)
        /// Elementwise with broadcasting.
        case add, sub, mul, div
        /// x · scale + shift.
        case affine(scale: Float, shift: Float)
        case concat(axis: Int)
        case slice(axis: Int, start: Int, end: Int)
        case maxPool(kernel: Int, stride: Int, padding: Int)
        /// Zero padding counted in the mean (PyTorch's default `count_include_pad`).
        case avgPool(kernel: Int, stride: Int, padding: Int)
        case globalAvgPool
        case upsampleNearest(factor: Int)
        case reshape([Int])
        /// Broadcast to the shape (size-1 dimensions repeated).
        case expand([Int])
        case permute([Int])
        /// Inputs x, weight, bias, running mean, running variance (evaluation mode).
        case batchNorm(epsilon: Float)
        /// Inputs x [N, in], w [out, in] and, when present, the bias.
        case linear
    }

    /// One recorded op.
    public struct Node {
        public let op: Op
        public let inputs: [Tensor]
        public let output: Tensor
    }

    public private(set) var nodes: [Node] = []

    /// The trace the calling thread records into, if any. Thread-local: an export on one thread
    /// never sees the ops that training runs on another (a study exports a finished cell while
    /// the next one trains).
    static var current: Trace? {
        pthread_getspecific(traceKey).map { Unmanaged<Trace>.fromOpaque($0).takeUnretainedValue() }
    }

    /// Runs `body` while recording the ops this thread runs.
    public static func recording<T>(_ body: () throws -> T) rethrows -> (T, Trace) {
        let trace = Trace()
        let previous = pthread_getspecific(traceKey)
        pthread_setspecific(traceKey, Unmanaged.passUnretained(trace).toOpaque())
        defer { pthread_setspecific(traceKey, previous) }
        return (try withExtendedLifetime(trace) { try body() }, trace)
    }

    /// Appends a node when recording; otherwise builds nothing (the training step allocates no
    /// input list for it).
    @inline(__always)
    static func record(_ op: @autoclosure () -> Op, _ inputs: @autoclosure () -> [Tensor], _ output: Tensor) {
        guard let trace = current else { return }
        trace.nodes.append(Node(op: op(), inputs: inputs(), output: output))
    }
}
