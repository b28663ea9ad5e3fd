import Engine

/// Max pooling as a layer (torch.nn.MaxPool2d, floor mode): the ShuffleNet stems.
/// x: [N, C, H, W] → [N, C, (H + 2·padding − kernel)/stride + 1, …].
public final class MaxPool: UnaryLayer {
    public let kernel: Int, stride: Int, padding: Int

    public init(kernel: Int, stride: Int, padding: Int = 0) {
        (self.kernel, self.stride, self.padding) = (kernel, stride, padding)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        maxPool2d(x, kernel: kernel, stride: stride, padding: padding)
    }
}
