/// Type sizes and spacing shared by every chart, in scene units (points).
public struct Theme: Sendable, Equatable {
    public var title = TextStyle(size: 8.5, bold: true)
    public var axisLabel = TextStyle(size: 7.5)
    public var tickLabel = TextStyle(size: 6.5, color: .muted)
    public var legend = TextStyle(size: 6.5)
    public var note = TextStyle(size: 6, color: .muted)
    public var annotation = TextStyle(size: 6.5, bold: true)
    public var cellText = TextStyle(size: 5.5)
    /// Space between blocks (title, plot, legend), and between a label and what it names.
    public var gap = 4.0
    public var tickLength = 3.0
    /// Points of a legend swatch's width.
    public var swatchWidth = 16.0

    public init() {}

    public static let standard = Theme()
}
