/// Where a backbone's published ImageNet weights come from: the reference library's model, the
/// file names it publishes, and which of its state-dict keys are the classifier head.
///
/// Every backbone of the zoo is built as its reference (docs/zoo.md), so the published trunk
/// tensors fit one for one, in the reference's module order.
public struct ReferenceWeights: Sendable, Equatable {
    /// "torchvision.mobilenet_v2", "timm.ghostnet_100", …
    public let model: String
    /// The file names the library caches its download under, newest first: torch.save files only,
    /// whose keys come in module order (a safetensors file sorts them by name).
    public let files: [String]
    /// Where they are published, for the message when none is found.
    public let url: String
    /// Where the library keeps them: the torch hub checkpoints folder, or the Hugging Face hub.
    public let cache: Cache
    /// State-dict key prefixes of the ImageNet head, ignored (and counted) when loading a trunk.
    public let headPrefixes: [String]
    /// A prefix every key carries in the published file (megvii's nn.DataParallel `module.`).
    public let stripPrefix: String?

    public enum Cache: Sendable, Equatable {
        /// `$TORCH_HOME/hub/checkpoints` (default `~/.cache/torch/hub/checkpoints`).
        case torchHub
        /// `$HF_HOME/hub/models--timm--<repo>/snapshots/*/` (default `~/.cache/huggingface`).
        case huggingFace(repo: String)
        /// Not cached by a library: the user names the file.
        case none
    }

    /// The reference for `spec`, or nil when no ImageNet weights are published at its width.
    public static func of(_ spec: BackboneSpec) -> ReferenceWeights? {
        let tv = "https://download.pytorch.org/models/"
        switch (spec.kind, spec.width) {
        case (.mobilenetv2, 1.0):
            return .init(model: "torchvision.mobilenet_v2", files: ["mobilenet_v2-7ebf99e0.pth", "mobilenet_v2-b0353104.pth"],
                         url: tv + "mobilenet_v2-7ebf99e0.pth", cache: .torchHub, headPrefixes: ["classifier."], stripPrefix: nil)
        case (.mobilenetv3Small, _):
            return .init(model: "torchvision.mobilenet_v3_small", files: ["mobilenet_v3_small-047dcff4.pth"],
                         url: tv + "mobilenet_v3_small-047dcff4.pth", cache: .torchHub, headPrefixes: ["classifier."], stripPrefix: nil)
        case (.mobilenetv3Large, _):
            return .init(model: "torchvision.mobilenet_v3_large", files: ["mobilenet_v3_large-5c1a4163.pth", "mobilenet_v3_large-8738ca79.pth"],
                         url: tv + "mobilenet_v3_large-5c1a4163.pth", cache: .torchHub, headPrefixes: ["classifier."], stripPrefix: nil)
        case (.shufflenetv2, 1.0):
            return .init(model: "torchvision.shufflenet_v2_x1_0", files: ["shufflenetv2_x1-5666bf0f80.pth"],
                         url: tv + "shufflenetv2_x1-5666bf0f80.pth", cache: .torchHub, headPrefixes: ["fc."], stripPrefix: nil)
        case (.shufflenetv2, 0.5):
            return .init(model: "torchvision.shufflenet_v2_x0_5", files: ["shufflenetv2_x0.5-f707e7126e.pth"],
                         url: tv + "shufflenetv2_x0.5-f707e7126e.pth", cache: .torchHub, headPrefixes: ["fc."], stripPrefix: nil)
        case (.mnasnet, 1.0):
            return .init(model: "torchvision.mnasnet1_0", files: ["mnasnet1.0_top1_73.512-f206786ef8.pth"],
                         url: tv + "mnasnet1.0_top1_73.512-f206786ef8.pth", cache: .torchHub, headPrefixes: ["classifier."], stripPrefix: nil)
        case (.mnasnet, 0.5):
            return .init(model: "torchvision.mnasnet0_5", files: ["mnasnet0.5_top1_67.823-3ffadce67e.pth"],
                         url: tv + "mnasnet0.5_top1_67.823-3ffadce67e.pth", cache: .torchHub, headPrefixes: ["classifier."], stripPrefix: nil)
        case (.mobilenetv1, 1.0):
            return .init(model: "timm.mobilenetv1_100", files: ["pytorch_model.bin"],
                         url: "https://huggingface.co/timm/mobilenetv1_100.ra4_e3600_r224_in1k/resolve/main/pytorch_model.bin",
                         cache: .huggingFace(repo: "mobilenetv1_100.ra4_e3600_r224_in1k"), headPrefixes: ["classifier."], stripPrefix: nil)
        case (.ghostnet, _):
            return .init(model: "timm.ghostnet_100", files: ["pytorch_model.bin"],
                         url: "https://huggingface.co/timm/ghostnet_100.in1k/resolve/main/pytorch_model.bin", cache: .huggingFace(repo: "ghostnet_100.in1k"),
                         headPrefixes: ["conv_head.", "classifier."], stripPrefix: nil)
        case (.shufflenetv1, _):
            return .init(model: "megvii.shufflenetv1_g3_1.0x", files: [],
                         url: "https://github.com/megvii-model/ShuffleNet-Series (ShuffleNetV1, README: 1.0x, g=3)", cache: .none,
                         headPrefixes: ["classifier."], stripPrefix: "module.")
        default:
            return nil
        }
    }
}
