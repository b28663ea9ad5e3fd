/// A legend laid out in rows of equal-width columns: swatch, then its label wrapped to fit.
public struct LegendLayout {
    public var entries: [LegendEntry]
    public var columns: Int
    public var labelWidth: Double
    public var size: Size
    let rowHeights: [Double]
    let labelSizes: [Size]
    let theme: Theme

    /// The legend for `entries` no wider than `maxWidth`: one column when `singleColumn`, else
    /// as many columns as fit.
    public init(_ entries: [LegendEntry], maxWidth: Double, singleColumn: Bool, measurer: any TextMeasurer, theme: Theme) {
        self.entries = entries
        self.theme = theme
        let swatch = theme.swatchWidth + theme.gap
        let natural = entries.map { measurer.measure($0.label, style: theme.legend, wrapWidth: nil).width }.max() ?? 0
        let cap = singleColumn ? max(20, maxWidth - swatch) : max(40, min(natural, maxWidth * 0.45 - swatch))
        labelWidth = min(natural, cap)
        let columnWidth = swatch + labelWidth + 2 * theme.gap
        columns = singleColumn ? 1 : max(1, min(entries.count, Int((maxWidth + 2 * theme.gap) / columnWidth)))
        let wrap = labelWidth + 0.01
        labelSizes = entries.map { measurer.measure($0.label, style: theme.legend, wrapWidth: wrap) }
        var rows: [Double] = []
        for start in stride(from: 0, to: entries.count, by: columns) {
            let row = labelSizes[start..<min(entries.count, start + columns)]
            rows.append(max(theme.legend.size * 1.25, row.map(\.height).max() ?? 0) + 1.5)
        }
        rowHeights = rows
        let width = entries.isEmpty ? 0 : Double(columns) * columnWidth - 2 * theme.gap
        size = Size(width, rows.reduce(0, +))
    }

    /// The legend's swatches and labels with its top-left corner at `origin`.
    public func elements(at origin: Point) -> [Element] {
        var out: [Element] = []
        let columnWidth = theme.swatchWidth + theme.gap + labelWidth + 2 * theme.gap
        var y = origin.y
        for (row, height) in rowHeights.enumerated() {
            for column in 0..<columns {
                let i = row * columns + column
                guard i < entries.count else { break }
                let x = origin.x + Double(column) * columnWidth
                let mid = y + theme.legend.size * 0.65
                out += swatch(entries[i].swatch, x: x, y: mid)
                let box = Rect(x: x + theme.swatchWidth + theme.gap, y: y, width: labelSizes[i].width,
                               height: labelSizes[i].height)
                out.append(.text(.legendLabel, TextItem(text: entries[i].label, style: theme.legend, box: box,
                                                        wrapWidth: labelWidth + 0.01)))
            }
            y += height
        }
        return out
    }

    func swatch(_ swatch: LegendEntry.Swatch, x: Double, y: Double) -> [Element] {
        let w = theme.swatchWidth
        switch swatch {
        case .line(let style):
            var out = [Element.shape(.legendSwatch, .segment(Point(x, y), Point(x + w, y)),
                                     stroke: Stroke(style.color, width: max(style.width, 1), dash: style.dash))]
            if let marker = style.marker {
                out.append(.shape(.legendSwatch, marker.path(Point(x + w / 2, y), radius: 2), fill: style.color))
            }
            return out
        case .marker(let style):
            return [.shape(.legendSwatch, (style.marker ?? .circle).path(Point(x + w / 2, y), radius: 2.6),
                           fill: style.color, stroke: Stroke(.white, width: 0.5))]
        case .fill(let color):
            return [.shape(.legendSwatch, .rect(Rect(x: x, y: y - 3, width: w, height: 6)), fill: color)]
        }
    }
}
