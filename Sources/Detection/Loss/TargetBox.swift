/// One ground-truth box of a batch, laid out as YOLOv5's `collate_fn` lays out targets:
/// the image's index in the batch, the class, and cx, cy, w, h normalised to the image (0...1).
public struct TargetBox: Sendable, Equatable {
    public var image: Int
    public var classID: Int
    public var cx: Float, cy: Float, w: Float, h: Float

    public init(image: Int, classID: Int, cx: Float, cy: Float, w: Float, h: Float) {
        (self.image, self.classID, self.cx, self.cy, self.w, self.h) = (image, classID, cx, cy, w, h)
    }
}
