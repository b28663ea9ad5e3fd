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
    /// Panels (by index) that take more than one grid slot: a confusion matrix wants a square.
    public var spans: [Int: Span]

    /// How many grid columns and rows a panel covers.
    public struct Span: Sendable, Equatable {
        public var columns: Int, rows: Int
        public init(columns: Int, rows: Int) { (self.columns, self.rows) = (columns, rows) }
    }

    public init(title: String, panels: [Chart], columns: Int, panelHeight: Double, legend: [LegendEntry] = [],
                note: String? = nil, spans: [Int: Span] = [:]) {
        precondition(columns >= 1, "a figure has at least one column")
        precondition(spans.values.allSatisfy { $0.columns >= 1 && $0.columns <= columns && $0.rows >= 1 }, "a span fits the grid")
        (self.title, self.panels, self.columns, self.panelHeight) = (title, panels, columns, panelHeight)
        (self.legend, self.note, self.spans) = (legend, note, spans)
    }

    /// Each panel's first column, first row and span: in order, each in the first free place
    /// (row by row) where it fits, as CSS grid's dense flow places items.
    public func placements() -> [(column: Int, row: Int, span: Span)] {
        let columns = min(self.columns, max(1, panels.count + spans.values.reduce(0) { $0 + $1.columns * $1.rows - 1 }))
        var taken: Set<[Int]> = []
        return panels.indices.map { i in
            let span = spans[i].map { Span(columns: min($0.columns, columns), rows: $0.rows) } ?? Span(columns: 1, rows: 1)
            var slot = 0
            while true {
                let (row, column) = (slot / columns, slot % columns)
                let cells = (row..<row + span.rows).flatMap { r in (column..<column + span.columns).map { [r, $0] } }
                if column + span.columns <= columns, cells.allSatisfy({ !taken.contains($0) }) {
                    taken.formUnion(cells)
                    return (column, row, span)
                }
                slot += 1
            }
        }
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
        let places = figure.placements()
        let columns = places.map { $0.column + $0.span.columns }.max() ?? 1
        let panelWidth = (inner - Double(columns - 1) * spacing) / Double(columns)
        for (panel, place) in zip(figure.panels, places) {
            let frame = Rect(x: pad + Double(place.column) * (panelWidth + spacing), y: y + Double(place.row) * (figure.panelHeight + spacing),
                             width: Double(place.span.columns) * (panelWidth + spacing) - spacing,
                             height: Double(place.span.rows) * (figure.panelHeight + spacing) - spacing)
            items += elements(panel, in: frame).elements
        }
        let rows = places.map { $0.row + $0.span.rows }.max() ?? 0
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
