/// How a path's outline is drawn.
public struct Stroke: Sendable, Equatable {
    public var color: Color
    public var width: Double
    /// Dash lengths in scene units; empty for a solid line.
    public var dash: [Double]

    public init(_ color: Color, width: Double = 1, dash: [Double] = []) {
        (self.color, self.width, self.dash) = (color, width, dash)
    }
}

/// One step of a path.
public enum PathElement: Sendable, Equatable {
    case move(Point)
    case line(Point)
    /// A full circle, as its own closed sub-path.
    case circle(center: Point, radius: Double)
    case close
}

/// A vector outline: the one shape primitive a renderer must fill or stroke.
public struct Path: Sendable, Equatable {
    public var elements: [PathElement]

    public init(_ elements: [PathElement] = []) { self.elements = elements }

    public static func rect(_ r: Rect) -> Path {
        Path([.move(Point(r.minX, r.minY)), .line(Point(r.maxX, r.minY)), .line(Point(r.maxX, r.maxY)),
              .line(Point(r.minX, r.maxY)), .close])
    }

    public static func polyline(_ points: [Point], closed: Bool = false) -> Path {
        guard let first = points.first else { return Path() }
        var elements: [PathElement] = [.move(first)]
        elements += points.dropFirst().map { .line($0) }
        if closed { elements.append(.close) }
        return Path(elements)
    }

    public static func segment(_ a: Point, _ b: Point) -> Path { Path([.move(a), .line(b)]) }

    public static func circle(_ center: Point, radius: Double) -> Path { Path([.circle(center: center, radius: radius)]) }

    /// The points the path passes through (circle centres included), for tests and bounds.
    public var points: [Point] {
        elements.compactMap {
            switch $0 {
            case .move(let p), .line(let p): p
            case .circle(let c, _): c
            case .close: nil
            }
        }
    }
}

/// Font and colour of a piece of text. The family is the renderer's (DejaVu Sans with CJK fallback).
public struct TextStyle: Sendable, Equatable, Hashable {
    public var size: Double
    public var bold: Bool
    public var monospace: Bool
    public var color: Color

    public init(size: Double, bold: Bool = false, monospace: Bool = false, color: Color = .ink) {
        (self.size, self.bold, self.monospace, self.color) = (size, bold, monospace, color)
    }
}

/// Text laid out in a known box: the renderer draws the measured layout with its top-left corner
/// at `box`'s origin (before rotation), wrapped to `wrapWidth` and cut with "…" at `maxWidth`.
public struct TextItem: Sendable, Equatable {
    public var text: String
    public var style: TextStyle
    /// The box the text occupies on the scene (after rotation).
    public var box: Rect
    /// Quarter turns anticlockwise: 0 or 1 (a y-axis title reads bottom to top).
    public var quarterTurns: Int
    /// Wrap lines at this width (the box's width when set).
    public var wrapWidth: Double?
    /// Cut a single line with an ellipsis at this width.
    public var maxWidth: Double?
    /// Lines centred in the box rather than left-aligned.
    public var centered: Bool

    public init(text: String, style: TextStyle, box: Rect, quarterTurns: Int = 0, wrapWidth: Double? = nil,
                maxWidth: Double? = nil, centered: Bool = false) {
        (self.text, self.style, self.box, self.quarterTurns) = (text, style, box, quarterTurns)
        (self.wrapWidth, self.maxWidth, self.centered) = (wrapWidth, maxWidth, centered)
    }
}

/// What an element is for: tests find marks and labels by role, renderers ignore it.
public enum Role: String, Sendable, Equatable, CaseIterable {
    case background, panel, title, note
    case grid, axis, tick, tickLabel, axisLabel
    case legendFrame, legendSwatch, legendLabel
    case line, band, marker, errorBar, bar, heatCell, heatLabel, front, highlight, annotation
    case photo, box
}

/// A drawing primitive: a shape filled and/or stroked, text, a raster image, or a group clipped to a rectangle.
public enum Primitive: Sendable, Equatable {
    case shape(Path, fill: Color?, stroke: Stroke?)
    case text(TextItem)
    /// The PNG file at `file` scaled to fill `box` (a validation image in the gallery).
    case image(file: String, box: Rect)
    case clip(Rect, [Element])
}

/// A primitive with its role.
public struct Element: Sendable, Equatable {
    public var role: Role
    public var primitive: Primitive

    public init(_ role: Role, _ primitive: Primitive) { (self.role, self.primitive) = (role, primitive) }

    public static func shape(_ role: Role, _ path: Path, fill: Color? = nil, stroke: Stroke? = nil) -> Element {
        Element(role, .shape(path, fill: fill, stroke: stroke))
    }

    public static func text(_ role: Role, _ item: TextItem) -> Element { Element(role, .text(item)) }
}

/// A backend-free drawing: what a chart or figure is, before any renderer touches it.
public struct Scene: Sendable, Equatable {
    public var size: Size
    public var elements: [Element]

    public init(size: Size, elements: [Element] = []) { (self.size, self.elements) = (size, elements) }

    /// Every element, clip groups opened, in drawing order.
    public var flattened: [Element] {
        var out: [Element] = []
        func walk(_ list: [Element]) {
            for e in list {
                if case .clip(_, let inner) = e.primitive { walk(inner) } else { out.append(e) }
            }
        }
        walk(elements)
        return out
    }

    /// Elements with `role`.
    public func elements(_ role: Role) -> [Element] { flattened.filter { $0.role == role } }

    /// The text items with `role` (every text when nil).
    public func texts(_ role: Role? = nil) -> [TextItem] {
        flattened.compactMap { e in
            guard role == nil || e.role == role, case .text(let t) = e.primitive else { return nil }
            return t
        }
    }

    /// The shapes' paths with `role`.
    public func paths(_ role: Role) -> [Path] {
        elements(role).compactMap { e in
            if case .shape(let p, _, _) = e.primitive { return p }
            return nil
        }
    }
}
