/// Lays a `Chart` out into scene elements: title, legend, axes with ticks that never overlap,
/// then the marks clipped to the plot. Every label is measured first, so none overlaps the plot.
public struct ChartLayout {
    public var measurer: any TextMeasurer
    public var theme: Theme

    public init(measurer: any TextMeasurer, theme: Theme = .standard) { (self.measurer, self.theme) = (measurer, theme) }

    /// A scene of `chart` alone, on white.
    public func scene(_ chart: Chart, size: Size) -> Scene {
        let frame = Rect(x: 0, y: 0, width: size.width, height: size.height)
        let pad = theme.gap * 1.5
        return Scene(size: size, elements: [.shape(.background, .rect(frame), fill: .white)]
            + elements(chart, in: frame.inset(top: pad, left: pad, bottom: pad, right: pad)).elements)
    }

    /// The chart's elements inside `frame`, and the plot rectangle they were laid around.
    public func elements(_ chart: Chart, in frame: Rect) -> (elements: [Element], plot: Rect) {
        var out: [Element] = []
        var area = frame
        if !chart.title.isEmpty {
            let s = measurer.measure(chart.title, style: theme.title, wrapWidth: area.width)
            let box = Rect(x: area.midX - s.width / 2, y: area.minY, width: s.width, height: s.height)
            out.append(.text(.title, TextItem(text: chart.title, style: theme.title, box: box, wrapWidth: area.width,
                                              centered: true)))
            area = area.inset(top: s.height + theme.gap)
        }
        if let note = chart.note {
            let s = measurer.measure(note, style: theme.note, wrapWidth: area.width)
            let box = Rect(x: area.minX, y: area.maxY - s.height, width: s.width, height: s.height)
            out.append(.text(.note, TextItem(text: note, style: theme.note, box: box, wrapWidth: area.width)))
            area = area.inset(bottom: s.height + theme.gap)
        }
        let entries = chart.legendEntries
        if chart.legend != .none, !entries.isEmpty {
            var placed = false
            if chart.legend == .right {
                let legend = LegendLayout(entries, maxWidth: area.width * 0.34, singleColumn: true, measurer: measurer,
                                          theme: theme)
                if legend.size.height <= area.height * 0.9 {
                    out += legend.elements(at: Point(area.maxX - legend.size.width, area.minY + theme.gap))
                    area = area.inset(right: legend.size.width + 2 * theme.gap)
                    placed = true
                }
            }
            if !placed {
                let legend = LegendLayout(entries, maxWidth: area.width, maxHeight: area.height * 0.4, singleColumn: false,
                                          measurer: measurer, theme: theme)
                out += legend.elements(at: Point(area.minX, area.maxY - legend.size.height))
                area = area.inset(bottom: legend.size.height + theme.gap)
            }
        }
        let (axisElements, plot, x, y) = axes(chart, in: area)
        let marks = chart.marks.flatMap { self.marks($0, x: x, y: y, plot: plot) }
        let (clipped, free) = (marks.filter { $0.role != .annotation }, marks.filter { $0.role == .annotation })
        out += axisElements.filter { $0.role == .grid }
        out.append(Element(.panel, .clip(plot, clipped)))
        out += axisElements.filter { $0.role != .grid }
        out += free
        return (out, plot)
    }
}
