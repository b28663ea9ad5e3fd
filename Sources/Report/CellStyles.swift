import Charts

/// How each cell looks in every chart: colour by backbone, dash by neck, and its legend label
/// with the cell's state (unfinished, not started) written out.
struct CellStyles {
    let study: StudyResults
    let strings: Strings

    func style(_ cell: CellRecord, width: Double = 1.1) -> SeriesStyle {
        let b = study.backbones.firstIndex(of: cell.backbone) ?? 0
        let n = study.necks.firstIndex(of: cell.neck) ?? 0
        return SeriesStyle(color: Palette.color(b), dash: Palette.dash(n), width: width, marker: MarkerShape.at(n))
    }

    /// The cell's name, with "(unfinished, 1/3 seeds)" or "(not started)" when it is not done.
    func label(_ cell: CellRecord) -> String { label(cell.name, cell) }

    func label(_ text: String, _ cell: CellRecord) -> String {
        if cell.finished { return text }
        let done = cell.finishedRuns.count
        if done == 0, cell.runs.allSatisfy(\.rows.isEmpty) { return "\(text) (\(strings.notStarted))" }
        return "\(text) (\(strings.unfinished), \(strings.seedsDone(done, of: cell.runs.count)))"
    }

    /// Legend rows for cells with nothing to draw, so every cell is in every legend.
    func absentEntries(_ cells: [CellRecord], drawn: Set<String>) -> [LegendEntry] {
        cells.filter { !drawn.contains($0.name) }.map { LegendEntry(label($0), .fill(Color.unfinished)) }
    }
}
