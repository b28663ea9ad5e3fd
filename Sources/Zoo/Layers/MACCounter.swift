import Engine

/// Counts multiply-accumulates during a forward pass, per module, as thop 0.1.1 counts them for
/// YOLOv5's model summary: convolutions and linear layers (no bias term), BatchNorm 4 per element
/// (unfused), nearest upsampling 1 per output element; activations and pooling count 0.
///
/// Active only inside `MACCounter.counting(_:)`; layers report through `MACCounter.record`.
public final class MACCounter: @unchecked Sendable {
    /// MACs per module, keyed by the module's identity.
    public private(set) var macs: [ObjectIdentifier: Int] = [:]

    @TaskLocal static var current: MACCounter?

    public init() {}

    /// Runs `body` with this counter collecting every layer's MACs.
    public func counting<T>(_ body: () throws -> T) rethrows -> T {
        try MACCounter.$current.withValue(self, operation: body)
    }

    /// The MACs of `module` alone (not its children).
    public func macs(of module: any Module) -> Int { macs[ObjectIdentifier(module), default: 0] }

    /// All MACs counted.
    public var total: Int { macs.values.reduce(0, +) }

    /// Adds `count` MACs to `module`, when a count is running.
    static func record(_ module: any Module, _ count: Int) {
        guard let counter = current else { return }
        counter.macs[ObjectIdentifier(module), default: 0] += count
    }
}
