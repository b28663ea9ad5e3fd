import Engine

/// The backbones of the zoo, by the names a study uses.
public enum BackboneKind: String, CaseIterable, Sendable {
    case cspdarknet
    case mobilenetv1
    case mobilenetv2
    case mobilenetv3Small = "mobilenetv3-small"
    case mobilenetv3Large = "mobilenetv3-large"
    case ghostnet
    case shufflenetv1
    case shufflenetv2
    case mnasnet

    /// The width multipliers offered, the default first.
    public var widths: [Double] {
        switch self {
        case .mobilenetv1: [1.0, 0.75, 0.5]
        case .mobilenetv2, .shufflenetv2, .mnasnet: [1.0, 0.5]
        case .cspdarknet, .mobilenetv3Small, .mobilenetv3Large, .ghostnet, .shufflenetv1: [1.0]
        }
    }
}

/// A backbone and its width multiplier, written `name` or `name@width` (`mobilenetv2@0.5`).
public struct BackboneSpec: Hashable, Sendable, CustomStringConvertible {
    public let kind: BackboneKind
    public let width: Double

    /// Parses `name` or `name@width`; throws naming the value and the valid choices.
    public init(parsing text: String) throws(ZooError) {
        let parts = text.split(separator: "@", maxSplits: 1).map(String.init)
        guard let name = parts.first, let kind = BackboneKind(rawValue: name) else {
            throw .unknownBackbone(text, valid: BackboneKind.allCases.map(\.rawValue))
        }
        var width = kind.widths[0]
        if parts.count == 2 {
            guard let w = Double(parts[1]), kind.widths.contains(w) else {
                throw .unsupportedWidth(written: text, backbone: name, width: parts[1], valid: kind.widths.map(Self.format))
            }
            width = w
        }
        self.init(kind, width: width)
    }

    public init(_ kind: BackboneKind, width: Double? = nil) {
        precondition(width == nil || kind.widths.contains(width!), "BackboneSpec: \(kind.rawValue) has no width \(width!)")
        self.kind = kind
        self.width = width ?? kind.widths[0]
    }

    /// Every backbone at every width, default widths first within each backbone.
    public static var all: [BackboneSpec] {
        BackboneKind.allCases.flatMap { kind in kind.widths.map { BackboneSpec(kind, width: $0) } }
    }

    /// `name` at the default width, `name@width` otherwise.
    public var description: String {
        width == kind.widths[0] ? kind.rawValue : kind.rawValue + "@" + Self.format(width)
    }

    static func format(_ w: Double) -> String { w == 1 ? "1.0" : String(w) }

    /// Builds the trunk with the reference's own BatchNorm settings.
    public func makeBackbone(rng: inout Philox) -> Backbone {
        switch kind {
        case .cspdarknet: CSPDarknet.backbone(rng: &rng)
        case .mobilenetv1: MobileNetV1.backbone(width: width, rng: &rng)
        case .mobilenetv2: MobileNetV2.backbone(width: width, rng: &rng)
        case .mobilenetv3Small: MobileNetV3.backbone(MobileNetV3.small, rng: &rng)
        case .mobilenetv3Large: MobileNetV3.backbone(MobileNetV3.large, rng: &rng)
        case .ghostnet: GhostNet.backbone(rng: &rng)
        case .shufflenetv1: ShuffleNetV1.backbone(rng: &rng)
        case .shufflenetv2: ShuffleNetV2.backbone(width: width, rng: &rng)
        case .mnasnet: MnasNet.backbone(width: width, rng: &rng)
        }
    }

    /// Whether the backbone has a reference ImageNet classifier (every one but `cspdarknet`).
    public var hasClassifier: Bool { kind != .cspdarknet }

    /// The reference ImageNet classifier: the trunk and its reference head.
    public func makeClassifier(classes: Int = 1000, rng: inout Philox) -> ImageClassifier? {
        let head: ClassifierHead.Kind
        switch kind {
        case .cspdarknet: return nil
        case .mobilenetv1: head = MobileNetV1.head
        case .mobilenetv2: head = MobileNetV2.head
        case .mobilenetv3Small: head = MobileNetV3.head(MobileNetV3.small)
        case .mobilenetv3Large: head = MobileNetV3.head(MobileNetV3.large)
        case .ghostnet: head = GhostNet.head
        case .shufflenetv1: head = ShuffleNetV1.head
        case .shufflenetv2: head = ShuffleNetV2.head
        case .mnasnet: head = MnasNet.head
        }
        return ImageClassifier(backbone: makeBackbone(rng: &rng), head: head, classes: classes, rng: &rng)
    }
}
