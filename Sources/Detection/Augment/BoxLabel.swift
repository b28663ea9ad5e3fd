/// A label during augmentation: the class and a box in pixels of the current canvas.
public struct BoxLabel: Sendable, Equatable {
    public var classID: Int
    public var x1: Double, y1: Double, x2: Double, y2: Double

    public init(classID: Int, x1: Double, y1: Double, x2: Double, y2: Double) {
        (self.classID, self.x1, self.y1, self.x2, self.y2) = (classID, x1, y1, x2, y2)
    }

    /// A normalised label of an image `w` × `h` placed at (padw, padh) of the canvas.
    // yolov5 v7.0 utils/general.py xywhn2xyxy
    public init(_ label: YOLOLabel, width w: Double, height h: Double, padw: Double = 0, padh: Double = 0) {
        let b = label.box
        self.init(classID: label.classID, x1: w * (b.cx - b.w / 2) + padw, y1: h * (b.cy - b.h / 2) + padh,
                  x2: w * (b.cx + b.w / 2) + padw, y2: h * (b.cy + b.h / 2) + padh)
    }
}
