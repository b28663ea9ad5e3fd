/// PyTorch's default parameter initialisers, drawn from a `Philox` stream.
///
/// Matching PyTorch's distributions (not its exact values) keeps training dynamics comparable.
public enum Initializer {
    /// Conv and linear weights: kaiming_uniform(a=√5), i.e. U(±1/√fan_in) — torch.nn.Conv2d.reset_parameters.
    public static func kaimingUniform(_ tensor: Tensor, fanIn: Int, rng: inout Philox) {
        let gain = (2.0 / (1.0 + 5.0)).squareRoot()  // leaky_relu gain with a = √5
        let bound = Float(gain * (3.0 / Double(fanIn)).squareRoot())
        rng.fillUniform(tensor.storage.buffer, low: -bound, high: bound)
    }

    /// Conv and linear biases: U(±1/√fan_in) — torch.nn.Conv2d.reset_parameters.
    public static func biasUniform(_ tensor: Tensor, fanIn: Int, rng: inout Philox) {
        let bound = Float(1 / Double(fanIn).squareRoot())
        rng.fillUniform(tensor.storage.buffer, low: -bound, high: bound)
    }
}
