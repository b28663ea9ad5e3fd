/// A Float32 tensor with contiguous row-major storage (NCHW for images) and an optional gradient.
///
/// Tensors are reference types: an op's backward closure keeps its inputs alive, and a parameter's
/// gradient accumulates in place across calls until the optimiser zeroes it.
public final class Tensor {
    public let shape: Shape
    public let storage: Storage
    /// The gradient of the last `backward()` with respect to this tensor, if it was needed.
    public var grad: Tensor?
    /// Whether ops on this tensor are recorded for `backward()`.
    public var requiresGrad: Bool

    /// A tensor over `storage` (shared, as by a reshape view).
    init(shape: Shape, storage: Storage, requiresGrad: Bool = false) {
        require(storage.count >= shape.count, "Tensor: storage of \(storage.count) floats for shape \(shape)")
        self.shape = shape
        self.storage = storage
        self.requiresGrad = requiresGrad
    }

    /// An uninitialised tensor: for op outputs that the kernel fills completely.
    init(uninitialized shape: Shape) {
        self.shape = shape
        storage = Storage(count: shape.count)
        requiresGrad = false
    }

    /// A zero-filled tensor.
    public convenience init(zeros shape: Shape, requiresGrad: Bool = false) {
        self.init(shape: shape, storage: Storage(zeros: shape.count), requiresGrad: requiresGrad)
    }

    /// A tensor holding `values` in row-major order.
    public convenience init(_ values: [Float], shape: Shape, requiresGrad: Bool = false) {
        require(values.count == shape.count, "Tensor: \(values.count) values for shape \(shape)")
        self.init(shape: shape, storage: Storage(count: shape.count), requiresGrad: requiresGrad)
        values.withUnsafeBufferPointer { storage.pointer.update(from: $0.baseAddress!, count: values.count) }
    }

    /// A tensor filled with `value`.
    public convenience init(repeating value: Float, shape: Shape, requiresGrad: Bool = false) {
        self.init(shape: shape, storage: Storage(count: shape.count), requiresGrad: requiresGrad)
        storage.pointer.update(repeating: value, count: shape.count)
    }

    public var count: Int { shape.count }
    /// The first element of the contiguous data.
    public var data: UnsafeMutablePointer<Float> { storage.pointer }
    /// A copy of the values in row-major order.
    public var scalars: [Float] { Array(UnsafeBufferPointer(start: data, count: count)) }
    /// The single value of a one-element tensor.
    public var item: Float {
        require(count == 1, "item: tensor of shape \(shape) has \(count) elements")
        return data.pointee
    }

    /// A tensor with the same values and no gradient history.
    public func detached() -> Tensor { Tensor(shape: shape, storage: storage) }

    /// A deep copy of the values.
    public func copy() -> Tensor {
        let out = Tensor(uninitialized: shape)
        out.data.update(from: data, count: count)
        return out
    }

    /// Where a backward kernel writes this tensor's gradient: the buffer, and whether it already
    /// holds a gradient to add to (otherwise the kernel must overwrite every element).
    func gradTarget() -> (pointer: UnsafeMutablePointer<Float>, accumulate: Bool) {
        if let grad { return (grad.data, true) }
        let g = Tensor(uninitialized: shape)
        grad = g
        return (g.data, false)
    }

    /// Like `gradTarget()`, but a fresh gradient is zero-filled (for kernels that scatter).
    func zeroedGradTarget() -> UnsafeMutablePointer<Float> {
        if let grad { return grad.data }
        let g = Tensor(zeros: shape)
        grad = g
        return g.data
    }
}
