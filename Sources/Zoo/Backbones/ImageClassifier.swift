import Engine

/// The ImageNet head of a reference classifier, after global average pooling: an optional 1×1
/// convolution with bias and ReLU (GhostNet's `conv_head`), an optional hidden linear layer with
/// hardswish (MobileNetV3), and the final linear layer. Dropout, which has no parameters, is
/// left out: these classifiers exist to prove the backbones against their references.
public final class ClassifierHead: Module {
    public let conv: Conv2d?
    public let hidden: Linear?
    public let fc: Linear

    /// The kinds of head the references use.
    public enum Kind: Sendable {
        /// pool → linear (torchvision MobileNetV2, ShuffleNetV2, MnasNet; timm MobileNetV1).
        case linear(bias: Bool)
        /// pool → linear → hardswish → linear (torchvision MobileNetV3 `classifier`).
        case hidden(Int)
        /// pool → 1×1 conv with bias → ReLU → linear (timm GhostNet `conv_head`).
        case convHead(Int)
    }

    init(_ kind: Kind, inChannels: Int, classes: Int, rng: inout Philox) {
        switch kind {
        case .linear(let bias):
            (conv, hidden) = (nil, nil)
            fc = Linear(inChannels, classes, bias: bias, rng: &rng)
        case .hidden(let width):
            conv = nil
            hidden = Linear(inChannels, width, rng: &rng)
            fc = Linear(width, classes, rng: &rng)
        case .convHead(let width):
            conv = Conv2d(inChannels, width, kernel: 1, rng: &rng)
            hidden = nil
            fc = Linear(width, classes, rng: &rng)
        }
    }

    /// x: [N, C, H, W] → logits [N, classes].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        var h = globalAvgPool(x)
        if let conv { h = relu(conv(h)) }
        h = reshape(h, [h.shape[0], h.shape[1]])
        if let hidden { h = hardswish(hidden(h)) }
        return fc(h)
    }
}

/// A backbone with its reference ImageNet head. x: [N, 3, H, W] → logits [N, classes].
public final class ImageClassifier: UnaryLayer {
    public let backbone: Backbone
    public let head: ClassifierHead

    init(backbone: Backbone, head: ClassifierHead.Kind, classes: Int = 1000, rng: inout Philox) {
        self.backbone = backbone
        self.head = ClassifierHead(head, inChannels: backbone.channels.last!, classes: classes, rng: &rng)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { head(backbone(x)) }
}
