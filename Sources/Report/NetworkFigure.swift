import Charts

/// One backbone's six charts, a line per neck variant with its seed band: F1 against confidence,
/// loss (train and val), mAP@0.5, mAP@0.5:0.95, precision and recall per epoch.
struct NetworkFigure {
    let study: StudyResults
    let strings: Strings

    func figure(_ backbone: String) -> Figure {
        let s = strings
        let cells = study.cells.filter { $0.backbone == backbone }
        let styles = CellStyles(study: study, strings: s)
        let metrics = PerEpoch.metrics(s)
        var f1 = Chart(title: s.f1Confidence, x: Axis.unit(s.confidence), y: Axis.unit(s.f1), marks: [], legend: .none)
        var loss = Chart(title: s.loss, x: Axis(s.epoch, integer: true), y: Axis(s.loss), marks: [], legend: .none)
        var perEpoch = metrics.dropFirst().map { Chart(title: $0.title, x: Axis(s.epoch, integer: true), y: $0.axis, marks: [], legend: .none) }
        var legend: [LegendEntry] = []
        var drawn = Set<String>()
        for cell in cells {
            let runs = cell.drawnRuns
            guard !runs.isEmpty else { continue }
            drawn.insert(cell.name)
            let n = study.necks.firstIndex(of: cell.neck) ?? 0
            let style = SeriesStyle(color: Palette.color(n), dash: Palette.dash(n), width: 1.2)
            legend.append(LegendEntry(styles.label(cell.neck, cell), .line(style)))
            if let band = PerEpoch.f1Band(runs) { f1.marks += PerEpoch.marks(band, label: nil, style: style) }
            loss.marks += PerEpoch.marks(PerEpoch.band(runs, PerEpoch.trainLoss, range: 0...Double.infinity), label: nil, style: style)
            var val = style
            (val.width, val.marker) = (0.7, .circle)
            loss.marks += PerEpoch.marks(PerEpoch.band(runs, metrics[0].value, range: metrics[0].range), label: nil, style: val)
            for (i, metric) in metrics.dropFirst().enumerated() {
                perEpoch[i].marks += PerEpoch.marks(PerEpoch.band(runs, metric.value, range: metric.range), label: nil, style: style)
            }
        }
        legend += cells.filter { !drawn.contains($0.name) }.map { LegendEntry(styles.label($0.neck, $0), .fill(.unfinished)) }
        legend.append(LegendEntry("\(s.loss): \(s.train)", .line(SeriesStyle(color: .muted, width: 1.2))))
        legend.append(LegendEntry("\(s.loss): \(s.val)", .line(SeriesStyle(color: .muted, width: 0.7, marker: .circle))))
        return Figure(title: backbone, panels: [f1, loss] + perEpoch, columns: 3, panelHeight: 140, legend: legend,
                      note: s.bandNote)
    }
}
