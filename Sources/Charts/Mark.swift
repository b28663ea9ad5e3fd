/// A marker shape for scatter points, the second cue beside colour.
public enum MarkerShape: Sendable, Equatable, CaseIterable {
    case circle, square, triangle, diamond

    /// The shape `index`, cycling.
    public static func at(_ index: Int) -> MarkerShape { allCases[index % allCases.count] }

    /// The outline of the marker of radius `r` centred on `c`.
    public func path(_ c: Point, radius r: Double) -> Path {
        switch self {
        case .circle: return .circle(c, radius: r)
        case .square: return .rect(Rect(x: c.x - r * 0.85, y: c.y - r * 0.85, width: r * 1.7, height: r * 1.7))
        case .triangle:
            return .polyline([Point(c.x, c.y - r * 1.1), Point(c.x + r, c.y + r * 0.75), Point(c.x - r, c.y + r * 0.75)],
                             closed: true)
        case .diamond:
            return .polyline([Point(c.x, c.y - r * 1.2), Point(c.x + r, c.y), Point(c.x, c.y + r * 1.2), Point(c.x - r, c.y)],
                             closed: true)
        }
    }
}

/// Colour, dash, width and marker of a series.
public struct SeriesStyle: Sendable, Equatable {
    public var color: Color
    public var dash: [Double]
    public var width: Double
    public var marker: MarkerShape?

    public init(color: Color, dash: [Double] = [], width: Double = 1.2, marker: MarkerShape? = nil) {
        (self.color, self.dash, self.width, self.marker) = (color, dash, width, marker)
    }

    /// Series `index` of the palette: colour and dash both vary.
    public static func series(_ index: Int, width: Double = 1.2) -> SeriesStyle {
        SeriesStyle(color: Palette.color(index), dash: Palette.dash(index), width: width)
    }
}

/// Something drawn in a chart's plot area, in data coordinates.
public enum Mark: Sendable, Equatable {
    /// A polyline through `points`; non-finite y values break it.
    case line(label: String?, points: [Point], style: SeriesStyle)
    /// A filled interval `lower...upper` at each x (a seed interval around a line).
    case band(label: String?, x: [Double], lower: [Double], upper: [Double], color: Color)
    /// Points drawn with `style.marker` (a circle when nil).
    case scatter(label: String?, points: [Point], style: SeriesStyle)
    /// Intervals at points: vertical (`low...high` in y) or horizontal (in x).
    case errorBars(points: [Point], low: [Double], high: [Double], horizontal: Bool, color: Color)
    /// Horizontal bars, one per category of the y axis (index i), from 0 to `values[i]`.
    case bars(values: [Double], colors: [Color])
    /// A matrix of cells on two category axes: `values[row][column]`, shaded by value / `maximum`,
    /// with the `text` of each cell written in it when it fits.
    case heatMap(values: [[Double]], maximum: Double, text: [[String]])
    /// A Pareto front: the staircase through `points` sorted by x.
    case front(label: String?, points: [Point], color: Color)
    /// A ring around one point with a label beside it (the recommended cell).
    case highlight(at: Point, text: String, color: Color)
    /// Text at a data point, kept inside the plot.
    case annotation(at: Point, text: String)
}

/// One row of a legend.
public struct LegendEntry: Sendable, Equatable {
    public enum Swatch: Sendable, Equatable {
        case line(SeriesStyle)
        case marker(SeriesStyle)
        case fill(Color)
    }

    public var label: String
    public var swatch: Swatch

    public init(_ label: String, _ swatch: Swatch) { (self.label, self.swatch) = (label, swatch) }
}
