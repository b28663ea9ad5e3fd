import Foundation

/// An exponential moving average of a model's weights and buffers: YOLOv5 v7.0's `ModelEMA`.
///
/// YOLOv5 validates and saves the averaged model; the ramp keeps early averages close to the
/// current weights, when the first ones are still random.
public final class ModelEMA {
    /// The averaged states, in the model's order and with its names (parameters and buffers).
    public let states: [(name: String, tensor: Tensor)]
    /// The decay the ramp approaches.
    public let decay: Double
    /// How many updates the ramp takes to reach 1 − 1/e of `decay`.
    public let tau: Double
    /// Updates so far; checkpoint it with the states and pass it back to `init` to resume.
    public private(set) var updates: Int

    /// An average that starts as a copy of `model`'s floating-point states (parameters and
    /// buffers such as BatchNorm running statistics).
    public init(_ model: [(name: String, tensor: Tensor)], decay: Double = 0.9999, tau: Double = 2000,
                updates: Int = 0) {
        require(Set(model.map(\.name)).count == model.count, "ModelEMA: duplicate state names")
        states = model.map { ($0.name, $0.tensor.copy()) }
        self.decay = decay
        self.tau = tau
        self.updates = updates
    }

    /// The averaged states by name, live: reading a checkpoint into them restores the average.
    public var state: [String: Tensor] { Dictionary(uniqueKeysWithValues: states.map { ($0.name, $0.tensor) }) }

    // yolov5 v7.0 utils/torch_utils.py ModelEMA: d = decay · (1 − exp(−updates / tau))
    /// The decay used by update number `updates` (1 for the first).
    public func decay(updates: Int) -> Double { decay * (1 - exp(-Double(updates) / tau)) }

    // yolov5 v7.0 utils/torch_utils.py ModelEMA.update: v *= d; v += (1 − d) · model (in Float)
    /// Moves the average towards `model`, whose names and shapes must be those the average started from.
    public func update(from model: [(name: String, tensor: Tensor)]) {
        require(model.count == states.count, "ModelEMA: \(model.count) states, expected \(states.count)")
        updates += 1
        let d = decay(updates: updates)
        let keep = Float(d), take = Float(1 - d)
        for (average, current) in zip(states, model) {
            require(
                average.name == current.name && average.tensor.shape == current.tensor.shape,
                "ModelEMA: got \(current.name) \(current.tensor.shape), "
                    + "expected \(average.name) \(average.tensor.shape)")
            let update = Update(ema: average.tensor.data, model: current.tensor.data, keep: keep, take: take)
            forEachBlock(average.tensor.count, update)
        }
    }

    private struct Update: BlockKernel {
        let ema: UnsafeMutablePointer<Float>, model: UnsafeMutablePointer<Float>
        let keep: Float, take: Float

        @inline(__always) func callAsFunction(_ i: Int, _ n: Int) {
            ema.setBlock(ema.block(i, n) * keep + take * model.block(i, n), i, n)
        }
    }
}
