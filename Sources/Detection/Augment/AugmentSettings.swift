/// The augmentation keys of YOLOv5's hyp.yaml (defaults: hyp.scratch-low.yaml of v7.0).
public struct AugmentSettings: Sendable, Equatable, Codable {
    public var hsvH = 0.015, hsvS = 0.7, hsvV = 0.4
    public var degrees = 0.0, translate = 0.1, scale = 0.5, shear = 0.0, perspective = 0.0
    public var flipud = 0.0, fliplr = 0.5
    public var mosaic = 1.0, mixup = 0.0

    public init() {}
}
