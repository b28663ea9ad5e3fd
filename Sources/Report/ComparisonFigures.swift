import Charts
import Results

/// The heart of the report: every cell against every other — metrics per epoch, best-epoch
/// bars with seed error bars, and accuracy against parameters, GFLOPs and latency.
struct ComparisonFigures {
    let study: StudyResults
    let strings: Strings
    var styles: CellStyles { CellStyles(study: study, strings: strings) }

    /// Six panels, a line per cell: F1 against confidence, val loss, mAP@0.5, mAP@0.5:0.95, P, R per epoch.
    func metrics() -> Figure {
        let s = strings
        var drawn = Set<String>()
        var legend: [LegendEntry] = []
        var panels = PerEpoch.metrics(strings).map { metric in
            Chart(title: metric.title, x: Axis(s.epoch, integer: true), y: metric.axis, marks: [], legend: .none)
        }
        panels.insert(Chart(title: s.f1Confidence, x: Axis.unit(s.confidence), y: Axis.unit(s.f1), marks: [], legend: .none), at: 0)
        for cell in study.cells {
            let runs = cell.drawnRuns
            guard !runs.isEmpty else { continue }
            drawn.insert(cell.name)
            let style = styles.style(cell)
            legend.append(LegendEntry(styles.label(cell), .line(SeriesStyle(color: style.color, dash: style.dash, width: style.width))))
            let line = SeriesStyle(color: style.color, dash: style.dash, width: style.width)
            if let f1 = PerEpoch.f1Band(runs) {
                panels[0].marks.append(.line(label: nil, points: zip(f1.x, f1.mean).map { Point($0, $1) }, style: line))
            }
            for (i, metric) in PerEpoch.metrics(strings).enumerated() {
                let band = PerEpoch.band(runs, metric.value, range: metric.range)
                panels[i + 1].marks.append(.line(label: nil, points: zip(band.x, band.mean).map { Point($0, $1) }, style: line))
            }
        }
        legend += styles.absentEntries(study.cells, drawn: drawn)
        return Figure(title: s.metricsOverEpochs, panels: panels, columns: 2, panelHeight: 150, legend: legend,
                      note: s.bandNote)
    }

    /// Four panels of horizontal bars, a bar per finished cell with its 95 % seed interval.
    func bars(_ rec: Recommendation) -> Figure {
        let s = strings
        let cells = rec.cells
        let names = cells.map { c in study.cells.first { $0.name == c.name }.map { styles.label(c.name, $0) } ?? c.name }
        let colors = cells.map { c in Palette.color(study.backbones.firstIndex(of: c.backbone) ?? 0) }
        let metrics: [(String, KeyPath<Recommendation.Cell, SeedStatistic>)] =
            [(s.precision, \.precision), (s.recall, \.recall), (s.map50, \.map50), (s.map5095, \.map50to95)]
        let panels = metrics.map { title, key in
            let stats = cells.map { $0[keyPath: key] }
            let withInterval = stats.enumerated().filter { $0.element.ci95 != nil }
            return Chart(title: title, x: Axis(title, include: [0]), y: Axis("", categories: names),
                         marks: [.bars(values: stats.map(\.mean), colors: colors),
                                 .errorBars(points: withInterval.map { Point($0.element.mean, Double($0.offset)) },
                                            low: withInterval.map { Self.interval($0.element).low },
                                            high: withInterval.map { Self.interval($0.element).high },
                                            horizontal: true, color: .ink)],
                         legend: .none)
        }
        return Figure(title: s.finalMetrics, panels: panels, columns: 2, panelHeight: 40 + 11 * Double(max(1, cells.count)))
    }

    /// Accuracy against each cost (or only `only`), Pareto front drawn, the recommended cell ringed.
    ///
    /// The fronts are the study's (recommendation.json); latency, when the study did not rank by
    /// it, is this machine's measurement, and its front is drawn from those measurements.
    func accuracyCost(_ rec: Recommendation, only: Cost? = nil) -> Figure {
        let s = strings
        let metric = s.metricName[rec.metric.rawValue] ?? rec.metric.title
        let measured = rec.cells.allSatisfy { study.latencyMs($0) != nil }
        let costs = only.map { [$0] } ?? Cost.allCases.filter { $0 != .latency || measured }
        let panels = costs.map { cost -> Chart in
            let x = rec.cells.map { Self.cost($0, cost, study) }
            let y = rec.cells.map(\.accuracy)
            var marks: [Mark] = []
            let onFront = cost == .latency && rec.cost != .latency
                ? Pareto.onFront(cost: x, accuracy: y) : rec.cells.map { $0.paretoFronts.contains(cost) }
            let front = rec.cells.indices.filter { onFront[$0] }.sorted { x[$0] < x[$1] }
            marks.append(.front(label: s.paretoFront, points: front.map { Point(x[$0], y[$0]) }, color: .muted))
            let intervals = rec.cells.indices.filter { rec.metric.statistic(rec.cells[$0]).ci95 != nil }
            marks.append(.errorBars(points: intervals.map { Point(x[$0], y[$0]) },
                                    low: intervals.map { Self.interval(rec.metric.statistic(rec.cells[$0])).low },
                                    high: intervals.map { Self.interval(rec.metric.statistic(rec.cells[$0])).high },
                                    horizontal: false, color: Color.muted.opacity(0.7)))
            for (i, c) in rec.cells.enumerated() {
                guard let cell = study.cells.first(where: { $0.name == c.name }) else { continue }
                marks.append(.scatter(label: styles.label(cell), points: [Point(x[i], y[i])], style: styles.style(cell)))
            }
            if let name = rec.recommended, let i = rec.cells.firstIndex(where: { $0.name == name }) {
                marks.append(.highlight(at: Point(x[i], y[i]), text: "\(s.recommended): \(name)", color: .ink))
            }
            let costName = s.costName[cost.rawValue] ?? cost.rawValue
            return Chart(title: "\(metric) — \(costName)",
                         x: Axis(costName, kind: cost == .params ? .log : .linear), y: Axis(metric),
                         marks: marks, legend: .none)
        }
        var legend = (panels.first?.legendEntries ?? [])
        legend += styles.absentEntries(study.cells, drawn: Set(rec.cells.map(\.name)))
        return Figure(title: s.accuracyCost, panels: panels, columns: min(3, panels.count),
                      panelHeight: only == nil ? 175 : 230, legend: legend)
    }

    /// A metric's 95 % seed interval cut at 0 and 1, the range of every accuracy metric: with two
    /// seeds the t-interval (t = 12.7) reaches far past both, and the chart would show mostly nothing.
    static func interval(_ s: SeedStatistic) -> (low: Double, high: Double) {
        (max(0, s.mean - (s.ci95 ?? 0)), min(1, s.mean + (s.ci95 ?? 0)))
    }

    /// A cell's cost in `cost`'s unit; latency from its runs' measurements (NaN when none).
    static func cost(_ c: Recommendation.Cell, _ cost: Cost, _ study: StudyResults) -> Double {
        cost.value(parameters: c.parameters, gflops: c.gflops, latencyMs: study.latencyMs(c)) ?? .nan
    }
}
