/// A legend laid out in rows of equal-width columns: swatch, then its label. A single column
/// wraps long labels; several columns cut them with "…" (except a last label alone on its row,
/// which may take the whole width) and, when rows run out, end with "… +k".
public struct LegendLayout {
    public var entries: [LegendEntry]
    public var columns: Int
    public var labelWidth: Double
    public var size: Size
    let wraps: Bool
    let rowHeights: [Double]
    let labelSizes: [Size]
    let theme: Theme

    /// The legend for `entries` within `maxWidth` × `maxHeight`: one column when `singleColumn`,
    /// else as many columns as fit.
    public init(_ entries: [LegendEntry], maxWidth: Double, maxHeight: Double = .infinity, singleColumn: Bool,
                measurer: any TextMeasurer, theme: Theme) {
        self.theme = theme
        wraps = singleColumn
        let swatch = theme.swatchWidth + theme.gap
        let natural = entries.map { measurer.measure($0.label, style: theme.legend, wrapWidth: nil).width }.max() ?? 0
        let half = maxWidth * 0.45 - swatch
        let cap = singleColumn || (natural > half && entries.count <= 2) ? max(20, maxWidth - swatch) : max(40, min(natural, half))
        let labelWidth = min(natural, cap)
        let columnWidth = swatch + labelWidth + 2 * theme.gap
        let columns = singleColumn ? 1 : max(1, min(entries.count, Int((maxWidth + 2 * theme.gap) / columnWidth)))
        let lineHeight = theme.legend.size * 1.25 + 1.5
        var shown = entries
        if !singleColumn, maxHeight.isFinite {
            let rows = max(1, Int(maxHeight / lineHeight))
            if entries.count > rows * columns {
                shown = Array(entries.prefix(rows * columns - 1))
                shown.append(LegendEntry("… +\(entries.count - shown.count)", .fill(.white.opacity(0))))
            }
        }
        // A last entry alone on its row may use the whole width (the bold "all classes" line of a PR chart).
        let lastAlone = !singleColumn && columns > 1 && shown.count % columns == 1
        let sizes = shown.enumerated().map { i, entry -> Size in
            let s = measurer.measure(entry.label, style: theme.legend, wrapWidth: singleColumn ? labelWidth + 0.01 : nil)
            let width = lastAlone && i == shown.count - 1 ? max(labelWidth, maxWidth - swatch) : labelWidth
            return singleColumn ? s : Size(min(s.width, width), s.height)
        }
        var rows: [Double] = []
        for start in stride(from: 0, to: shown.count, by: columns) {
            let row = sizes[start..<min(shown.count, start + columns)]
            rows.append(max(theme.legend.size * 1.25, row.map(\.height).max() ?? 0) + 1.5)
        }
        (self.entries, self.columns, self.labelWidth, self.labelSizes, self.rowHeights) = (shown, columns, labelWidth, sizes, rows)
        size = Size(shown.isEmpty ? 0 : Double(columns) * columnWidth - 2 * theme.gap, rows.reduce(0, +))
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
                out += swatch(entries[i].swatch, x: x, y: y + theme.legend.size * 0.65)
                let box = Rect(x: x + theme.swatchWidth + theme.gap, y: y, width: labelSizes[i].width,
                               height: labelSizes[i].height)
                out.append(.text(.legendLabel, TextItem(text: entries[i].label, style: theme.legend, box: box,
                                                        wrapWidth: wraps ? labelWidth + 0.01 : nil,
                                                        maxWidth: wraps ? nil : max(labelWidth, labelSizes[i].width) + 0.01)))
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
