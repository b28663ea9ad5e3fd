/// An axis-aligned box in pixels, in Float32 as YOLOv5 holds it: (x1, y1) is the top-left
/// corner, (x2, y2) the bottom-right.
public struct PixelBox: Sendable, Equatable {
    public var x1: Float
    public var y1: Float
    public var x2: Float
    public var y2: Float

    public init(x1: Float, y1: Float, x2: Float, y2: Float) {
        self.x1 = x1
        self.y1 = y1
        self.x2 = x2
        self.y2 = y2
    }

    /// `(x2 - x1) * (y2 - y1)`, the area YOLOv5's `box_iou` uses.
    @inlinable public var area: Float { (x2 - x1) * (y2 - y1) }
}

/// A box in pixels as COCO writes it, in Float64: top-left corner, width and height.
public struct COCOBox: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}
