/// Charts in a grid sharing one title and one legend: a page's worth of panels, one scene.
public struct Figure: Sendable, Equatable {
    public var title: String
    public var panels: [Chart]
    public var columns: Int
    public var panelHeight: Double
    /// Drawn once under the grid; panels then keep only their own legends.
    public var legend: [LegendEntry]
    /// A line of small text under everything (e.g. "fixture data").
    public var note: String?

    public init(title: String, panels: [Chart], columns: Int, panelHeight: Double, legend: [LegendEntry] = [],
                note: String? = nil) {
        precondition(columns >= 1, "a figure has at least one column")
        (self.title, self.panels, self.columns, self.panelHeight) = (title, panels, columns, panelHeight)
        (self.legend, self.note) = (legend, note)
    }
}

extension ChartLayout {
    /// The figure laid out `width` wide; its height follows from the rows, title and legend.
    public func scene(_ figure: Figure, width: Double) -> Scene {
        let pad = theme.gap * 1.5
        let inner = width - 2 * pad
        var items: [Element] = []
        var y = pad
        if !figure.title.isEmpty {
            var style = theme.title
            style.size += 1.5
            let s = measurer.measure(figure.title, style: style, wrapWidth: inner)
            items.append(.text(.title, TextItem(text: figure.title, style: style,
                                                box: Rect(x: pad, y: y, width: s.width, height: s.height), wrapWidth: inner)))
            y += s.height + theme.gap * 1.5
        }
        let spacing = theme.gap * 3
        let columns = min(figure.columns, max(1, figure.panels.count))
        let panelWidth = (inner - Double(columns - 1) * spacing) / Double(columns)
        for (i, panel) in figure.panels.enumerated() {
            let (row, column) = (i / columns, i % columns)
            let frame = Rect(x: pad + Double(column) * (panelWidth + spacing), y: y + Double(row) * (figure.panelHeight + spacing),
                             width: panelWidth, height: figure.panelHeight)
            items += elements(panel, in: frame).elements
        }
        let rows = (figure.panels.count + columns - 1) / columns
        y += Double(rows) * figure.panelHeight + Double(max(0, rows - 1)) * spacing
        if !figure.legend.isEmpty {
            y += theme.gap * 2
            let legend = LegendLayout(figure.legend, maxWidth: inner, singleColumn: false, measurer: measurer, theme: theme)
            items += legend.elements(at: Point(pad, y))
            y += legend.size.height
        }
        if let note = figure.note {
            y += theme.gap
            let s = measurer.measure(note, style: theme.note, wrapWidth: inner)
            items.append(.text(.note, TextItem(text: note, style: theme.note, box: Rect(x: pad, y: y, width: s.width, height: s.height),
                                               wrapWidth: inner)))
            y += s.height
        }
        let size = Size(width, (y + pad).rounded(.up))
        return Scene(size: size, elements: [.shape(.background, .rect(Rect(x: 0, y: 0, width: size.width, height: size.height)),
                                                   fill: .white)] + items)
    }
}
