import CCairo
import Charts
import Foundation
import Results

/// report.pdf: A4 — a title page with the recommendation in one paragraph and the accuracy–cost
/// chart, the comparison table, the comparison charts as vectors, a section per network and per
/// cell, the study file and the manifest; page numbers, fonts embedded, fixed metadata.
struct PDFReport {
    let study: StudyResults
    let strings: Strings
    let figures: [ReportFigure]
    let scenes: [Scene]
    let renderer: SceneRenderer

    func write(to path: String) throws {
        let counting = PageFlow(text: renderer.text, renderer: renderer, surface: nil, context: nil, footer: footer,
                                pageLabel: strings.page, totalPages: 0)
        content(counting)
        let pages = counting.page
        let surface = try CairoSurface(path: path, width: PageFlow.a4.width, height: PageFlow.a4.height)
        surface.setPDFMetadata(title: "\(study.title) — \(strings.report)", created: renderer.creationDate)
        let context = try CairoContext(surface)
        let flow = PageFlow(text: renderer.text, renderer: renderer, surface: surface, context: context, footer: footer,
                            pageLabel: strings.page, totalPages: pages)
        content(flow)
        try check(cairo_status(context.handle), "draw \(path)")
        try surface.finish()
    }

    var footer: String { "\(study.title) — studyctl \(CodeVersion.string)" }

    func content(_ flow: PageFlow) {
        let s = strings
        let rows = TableRows(study: study, strings: s)
        let titleStyle = TextStyle(size: 22, bold: true)
        _ = flow.outline(study.title)
        flow.paragraph(s.report, style: TextStyle(size: 10, color: .muted))
        flow.paragraph(study.title, style: titleStyle)
        if let d = study.manifest?.description, !d.isEmpty { flow.paragraph(d, style: TextStyle(size: 9, color: .muted)) }
        flow.heading(s.recommendation, size: 13, keepWith: 60)
        flow.paragraph(rows.recommendationSentence(), style: TextStyle(size: 11, bold: true), background: Color(hex: 0xEEF3FB))
        if let rule = rows.ruleSentence() { flow.paragraph("\(s.rule): \(rule)", style: TextStyle(size: 8.5)) }
        if let noise = rows.noiseSentence() { flow.paragraph("\(s.seedNoise): \(noise)", style: TextStyle(size: 8.5)) }
        if let deploy = rows.deploySentence() { flow.paragraph(deploy, style: TextStyle(size: 8.5)) }
        if let pretrained = rows.pretrainedSentence() { flow.paragraph(pretrained, style: TextStyle(size: 8.5)) }
        if let rec = study.recommendation {
            if !rec.missing.isEmpty {
                flow.paragraph("\(s.unfinished): \(rec.missing.joined(separator: ", "))", style: TextStyle(size: 8.5, color: Color(hex: 0x8A4B00)))
            }
        }
        place(flow) { $0 == .overview }

        flow.newPage()
        _ = flow.outline(s.comparisonTable)
        flow.heading(s.comparisonTable)
        flow.paragraph(s.intervalNote + (rows.latencySentence().map { " " + $0 } ?? ""), style: TextStyle(size: 7.5, color: .muted))
        let tableRows = rows.rows()
        flow.table(heads: [s.cell, s.seeds] + rows.heads(study.recommendation),
                   rows: tableRows.map { [$0.cell + ($0.recommended ? " ★" : ""), $0.seeds] + $0.values.map(\.text) },
                   emphasis: Set(tableRows.indices.filter { tableRows[$0].recommended }),
                   muted: Set(tableRows.indices.filter { !tableRows[$0].finished }), size: 6)
        _ = flow.outline(s.comparisonCharts)
        flow.heading(s.comparisonCharts, keepWith: firstHeight(flow) { $0 == .comparison })
        place(flow) { $0 == .comparison }

        let networks = flow.outline(s.networks)
        flow.heading(s.networks, keepWith: firstHeight(flow) { if case .network = $0 { true } else { false } })
        for b in study.backbones {
            _ = flow.outline(b, parent: networks)
            place(flow) { $0 == .network(b) }
        }
        let cells = flow.outline(s.cells)
        flow.heading(s.cells, keepWith: firstHeight(flow) { if case .cell = $0 { true } else { false } })
        for cell in study.cells {
            if !figures.contains(where: { $0.section == .cell(cell.name) }) {
                flow.paragraph("\(cell.name): \(CellStyles.stateNote(cell, s) ?? s.notStarted)", style: TextStyle(size: 8.5, color: .muted))
                continue
            }
            _ = flow.outline(cell.name, parent: cells)
            place(flow) { $0 == .cell(cell.name) }
        }

        _ = flow.outline(s.studyFile)
        flow.heading(s.studyFile, keepWith: 60)
        flow.preformatted(study.studyFile ?? "—")
        _ = flow.outline(s.manifest)
        flow.heading(s.manifest, keepWith: 60)
        if let m = study.manifest { manifest(m, flow) } else { flow.paragraph("—") }
        flow.finish()
    }

    func place(_ flow: PageFlow, _ section: (ReportFigure.Section) -> Bool) {
        for (figure, scene) in zip(figures, scenes) where section(figure.section) { flow.figure(scene) }
    }

    /// The height the first figure of `section` takes on a page: what its heading must be kept with.
    func firstHeight(_ flow: PageFlow, _ section: (ReportFigure.Section) -> Bool) -> Double {
        guard let i = figures.indices.first(where: { section(figures[$0].section) }) else { return 60 }
        return flow.figureHeight(scenes[i])
    }

    func manifest(_ m: StudyManifest, _ flow: PageFlow) {
        let s = strings
        flow.paragraph("\(s.reproduce):", style: TextStyle(size: 9, bold: true))
        flow.preformatted(m.command, size: 8)
        let pairs: [(String, String)] = [
            ("study", m.study), ("studyHash", m.studyHash), (s.dataset, m.datasetDescription), ("datasetFingerprint", m.datasetFingerprint),
            (s.code, "studyctl \(m.version) (\(m.gitCommit)), Swift \(m.swiftVersion)"),
            (s.machine, "\(m.cpu) [\(m.simd.joined(separator: ", "))], threads \(m.threads), jobs \(m.jobs)"),
            ("OpenBLAS / oneDNN", "\(m.openblas) / \(m.onednn)"), (s.seeds, m.seeds.map(String.init).joined(separator: ", ")),
            (s.started, m.started), (s.finishedAt, m.finished ?? "—"),
        ] + (m.pretrained ?? [:]).sorted { $0.key < $1.key }.map { ("\(s.pretrained): \($0.key)", "\($0.value.file) (sha256 \($0.value.sha256))") }
        flow.table(heads: ["", ""], rows: pairs.map { [$0.0, $0.1] }, noWrapColumn: 0)
        let seeds = m.seeds
        var order: [String] = []
        var states: [String: [UInt64: String]] = [:]
        for c in m.cells {
            let key = RunName(c.name)?.cell ?? c.name
            if states[key] == nil { order.append(key) }
            states[key, default: [:]][c.seed] = c.state.rawValue + (c.wallSeconds.map { String(format: " %.0f s", $0) } ?? "")
        }
        flow.table(heads: [s.cell] + seeds.map { s.shownSeed($0) },
                   rows: order.map { key in [key] + seeds.map { states[key]?[$0] ?? "—" } }, noWrapColumn: 0)
    }
}
