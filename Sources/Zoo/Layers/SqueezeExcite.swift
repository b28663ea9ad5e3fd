import Engine

/// Squeeze-and-excitation (Hu et al., 2018) as MobileNetV3 and GhostNet use it — torchvision
/// ops/misc.py `SqueezeExcitation`, timm `SqueezeExcite`: global average pool, 1×1 conv with bias,
/// ReLU, 1×1 conv with bias, gate (hard sigmoid), channel-wise scale.
/// x: [N, C, H, W] → [N, C, H, W].
public final class SqueezeExcite: UnaryLayer {
    public let fc1: Conv2d, fc2: Conv2d
    public let gate: Activation

    public init(_ channels: Int, squeezed: Int, gate: Activation = .hardsigmoid, rng: inout Philox) {
        fc1 = Conv2d(channels, squeezed, kernel: 1, rng: &rng)
        fc2 = Conv2d(squeezed, channels, kernel: 1, rng: &rng)
        self.gate = gate
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let scale = activation(fc2(relu(fc1(globalAvgPool(x)))), gate)
        return x * scale
    }
}
