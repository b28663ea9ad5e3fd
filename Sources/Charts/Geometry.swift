/// A point in scene units (PDF points; the PNG renderer scales by 2).
public struct Point: Sendable, Equatable, Hashable {
    public var x: Double, y: Double
    public init(_ x: Double, _ y: Double) { (self.x, self.y) = (x, y) }
}

/// A width and a height in scene units.
public struct Size: Sendable, Equatable {
    public var width: Double, height: Double
    public init(_ width: Double, _ height: Double) { (self.width, self.height) = (width, height) }
}

/// An axis-aligned rectangle; y grows downwards, as on a page.
public struct Rect: Sendable, Equatable {
    public var x: Double, y: Double, width: Double, height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        (self.x, self.y, self.width, self.height) = (x, y, width, height)
    }

    public var minX: Double { x }
    public var minY: Double { y }
    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
    public var midX: Double { x + width / 2 }
    public var midY: Double { y + height / 2 }

    /// The rectangle shrunk by the given margins.
    public func inset(top: Double = 0, left: Double = 0, bottom: Double = 0, right: Double = 0) -> Rect {
        Rect(x: x + left, y: y + top, width: max(0, width - left - right), height: max(0, height - top - bottom))
    }

    /// True when the two rectangles share interior area (touching edges do not count).
    public func overlaps(_ other: Rect, tolerance: Double = 0.01) -> Bool {
        minX < other.maxX - tolerance && other.minX < maxX - tolerance
            && minY < other.maxY - tolerance && other.minY < maxY - tolerance
    }

    /// True when `other` lies inside this rectangle.
    public func contains(_ other: Rect, tolerance: Double = 0.01) -> Bool {
        other.minX >= minX - tolerance && other.maxX <= maxX + tolerance
            && other.minY >= minY - tolerance && other.maxY <= maxY + tolerance
    }
}
