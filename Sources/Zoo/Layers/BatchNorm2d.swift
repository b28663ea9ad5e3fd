import Engine

/// Batch normalisation over N, H, W per channel (torch.nn.BatchNorm2d): weight 1, bias 0, running
/// mean 0 and variance 1 at initialisation. x: [N, C, H, W] → [N, C, H, W].
public final class BatchNorm2d: UnaryLayer {
    public var weight: Tensor
    public var bias: Tensor
    public var runningMean: Tensor
    public var runningVar: Tensor
    /// Added to the variance; PyTorch's default is 1e-5, YOLOv5 sets 1e-3 on every BatchNorm.
    public var eps: Float
    /// The running statistics' update rate; PyTorch's default is 0.1, YOLOv5 sets 0.03.
    public var momentum: Float
    /// Batch statistics (true) or running statistics (false).
    public private(set) var training = true

    public init(_ channels: Int, eps: Float = 1e-5, momentum: Float = 0.1) {
        weight = Tensor(repeating: 1, shape: [channels], requiresGrad: true)
        bias = Tensor(zeros: [channels], requiresGrad: true)
        runningMean = Tensor(zeros: [channels])
        runningVar = Tensor(repeating: 1, shape: [channels])
        (self.eps, self.momentum) = (eps, momentum)
    }

    public var bufferKeys: Set<String> { ["runningMean", "runningVar"] }
    public func setTraining(_ training: Bool) { self.training = training }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        MACCounter.record(self, 4 * x.count / x.shape[0])
        return batchNorm2d(x, weight: weight, bias: bias, runningMean: runningMean, runningVar: runningVar,
                           training: training, momentum: momentum, eps: eps)
    }

    /// This BatchNorm and then `act`, as one op (the same values, fewer passes over memory).
    public func callAsFunction(_ x: Tensor, then act: Activation) -> Tensor {
        MACCounter.record(self, 4 * x.count / x.shape[0])
        return batchNorm2dActivation(x, weight: weight, bias: bias, runningMean: runningMean, runningVar: runningVar,
                                     training: training, momentum: momentum, eps: eps, activation: act)
    }
}

extension Module {
    /// Sets eps and momentum on every BatchNorm below this module, as YOLOv5's
    /// `initialize_weights` does (eps 1e-3, momentum 0.03) for a whole detector.
    public func setBatchNorm(eps: Float, momentum: Float) {
        for case let (_, bn as BatchNorm2d) in namedModules() {
            bn.eps = eps
            bn.momentum = momentum
        }
    }
}
