import Engine

/// A batch for the detector: images [N, 3, H, W] scaled to 0...1 and their targets.
public struct Batch: @unchecked Sendable {
    public var images: Tensor
    public var targets: [TargetBox]
    /// Dataset indices of the images, in batch order.
    public var indices: [Int]

    /// Stacks RGB images of one size (HWC bytes) into an NCHW float tensor, /255 as YOLOv5's
    /// `imgs.float() / 255`.
    public init(images: [RGBImage], labels: [[YOLOLabel]], indices: [Int]) {
        let h = images[0].height, w = images[0].width, plane = h * w
        let tensor = Tensor(zeros: [images.count, 3, h, w])
        for (n, image) in images.enumerated() {
            require(image.width == w && image.height == h, "Batch: images of different sizes")
            let base = tensor.data + n * 3 * plane
            image.pixels.withUnsafeBufferPointer { p in
                for i in 0..<plane {
                    base[i] = Float(p[i * 3]) / 255
                    base[plane + i] = Float(p[i * 3 + 1]) / 255
                    base[2 * plane + i] = Float(p[i * 3 + 2]) / 255
                }
            }
        }
        self.images = tensor
        self.indices = indices
        targets = labels.enumerated().flatMap { n, list in
            list.map { TargetBox(image: n, classID: $0.classID, cx: Float($0.box.cx), cy: Float($0.box.cy),
                                 w: Float($0.box.w), h: Float($0.box.h)) }
        }
    }
}
