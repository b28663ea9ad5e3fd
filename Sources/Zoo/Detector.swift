import Engine

/// A detector of the zoo: a backbone, a neck and YOLOv5's Detect head, built from a spec.
/// `Detector(spec: .yolov5n)` is YOLOv5n v7.0. x: [N, 3, H, W] with H, W multiples of 32.
public final class Detector: Module {
    public let backbone: Backbone
    public let neck: PAN
    public let detect: Detect
    public let spec: DetectorSpec

    /// Builds the detector with PyTorch's default initialisation drawn from `seed`, then applies
    /// YOLOv5's `initialize_weights` (BatchNorm eps 1e-3, momentum 0.03 everywhere) and
    /// `_initialize_biases`.
    public init(spec: DetectorSpec, seed: UInt64 = 0) {
        var rng = Philox(seed: seed)
        self.spec = spec
        backbone = spec.backbone.makeBackbone(rng: &rng)
        neck = spec.neck.makeNeck(inChannels: backbone.tapChannels, rng: &rng)
        detect = Detect(classes: spec.classes, inChannels: PAN.widths, rng: &rng)
        setBatchNorm(eps: 1e-3, momentum: 0.03)
    }

    /// Raw predictions for training: per scale [N, 3, H/s, W/s, 5 + nc] for s = 8, 16, 32.
    public func callAsFunction(_ x: Tensor) -> [Tensor] {
        let (_, _, h, w) = x.shape.nchw("Detector")
        precondition(h % 32 == 0 && w % 32 == 0, "Detector: image \(h)×\(w) is not a multiple of 32 (validate sizes with DetectorSpec.validate(imageSize:))")
        return detect(neck(backbone.features(x)))
    }

    /// Decoded boxes for inference: [N, Σ 3·H·W, 5 + nc] (see `Detect.decode`). Call `eval()` first.
    public func predict(_ x: Tensor) -> Tensor {
        Autograd.withoutGrad { detect.decode(self(x)) }
    }

    /// Folds every BatchNorm into its convolution for inference (YOLOv5 `fuse()`); the model then
    /// has no BatchNorm and must not be trained further.
    public func fuse() {
        for case let (_, layer as ConvBNAct) in namedModules() { layer.fuse() }
    }
}

/// What to build: backbone × neck × number of classes.
public struct DetectorSpec: Hashable, Sendable, CustomStringConvertible {
    public var backbone: BackboneSpec
    public var neck: NeckSpec
    public var classes: Int

    public init(backbone: BackboneSpec, neck: NeckSpec, classes: Int = 80) {
        precondition(classes >= 1, "DetectorSpec: classes must be at least 1, got \(classes)")
        (self.backbone, self.neck, self.classes) = (backbone, neck, classes)
    }

    /// Parses user choices; throws naming the bad value and the valid ones.
    public init(backbone: String, neck: String, classes: Int = 80) throws(ZooError) {
        guard classes >= 1, classes <= DetectorSpec.maxClasses else { throw .invalidClassCount(classes) }
        self.init(backbone: try BackboneSpec(parsing: backbone), neck: try NeckSpec(parsing: neck), classes: classes)
    }

    /// Parses `description` (`backbone__neck`), as weights files record it; nil when it is not one.
    public init?(description: String, classes: Int) {
        let parts = description.components(separatedBy: "__")
        guard parts.count == 2, let spec = try? DetectorSpec(backbone: parts[0], neck: parts[1], classes: classes) else { return nil }
        self = spec
    }

    /// YOLOv5n v7.0: `cspdarknet` + `pan-sppf`, 80 classes.
    public static let yolov5n = DetectorSpec(backbone: BackboneSpec(.cspdarknet), neck: .panSPPF)

    /// Every backbone (at every width) × every neck.
    public static func all(classes: Int = 80) -> [DetectorSpec] {
        BackboneSpec.all.flatMap { b in NeckSpec.all.map { DetectorSpec(backbone: b, neck: $0, classes: classes) } }
    }

    /// `backbone__neck`, the cell name a study uses.
    public var description: String { "\(backbone)__\(neck)" }

    /// The largest image side and class count a detector is built for: far beyond any study,
    /// small enough that tensor sizes cannot overflow.
    public static let maxImageSize = 4096, maxClasses = 10_000

    /// Checks that `size` can be fed to a detector: a multiple of 32 from 32 to `maxImageSize`.
    public static func validate(imageSize size: Int) throws(ZooError) {
        guard size >= 32, size <= maxImageSize, size % 32 == 0 else { throw .invalidImageSize(size) }
    }
}
