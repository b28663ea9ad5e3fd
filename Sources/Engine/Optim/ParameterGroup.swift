/// Parameters that share hyperparameters, which the trainer may change between steps.
///
/// YOLOv5 (utils/torch_utils.py smart_optimizer) makes three groups — biases, conv/linear weights
/// with decay, BatchNorm weights without — and ramps each group's `lr` and `momentum` in warmup.
public final class ParameterGroup {
    /// The tensors this group updates, in a fixed order (their optimiser state follows it).
    public let params: [Tensor]
    /// The learning rate of the next step.
    public var lr: Double
    /// SGD's momentum; AdamW's β1 (smart_optimizer passes betas=(momentum, 0.999)).
    public var momentum: Double
    /// L2 penalty for SGD, decoupled decay for AdamW; 0 turns it off.
    public var weightDecay: Double

    public init(_ params: [Tensor], lr: Double, momentum: Double, weightDecay: Double = 0) {
        self.params = params
        self.lr = lr
        self.momentum = momentum
        self.weightDecay = weightDecay
    }
}
