import Charts
import Testing

struct LayoutTests {
    let layout = ChartLayout(measurer: EstimatedTextMeasurer())

    func lineChart(series: Int, legend: LegendPlacement = .right) -> Chart {
        let marks = (0..<series).map { s in
            Mark.line(label: "mobilenetv3-small__pan-aspp seed \(s)",
                      points: (0..<30).map { Point(Double($0), 0.02 * Double(s) + Double($0) / 40) }, style: .series(s))
        }
        return Chart(title: "mAP@0.5 per epoch", x: Axis("epoch"), y: Axis("mAP@0.5"), marks: marks, legend: legend)
    }

    /// The plot rectangle, from its clip group.
    func plot(_ scene: Scene) -> Rect {
        for e in scene.elements { if case .clip(let r, _) = e.primitive { return r } }
        Issue.record("no plot clip")
        return Rect(x: 0, y: 0, width: 0, height: 0)
    }

    @Test func marksLabelsAndTicksAreCounted() {
        let scene = layout.scene(lineChart(series: 3), size: Size(300, 200))
        #expect(scene.elements(.line).count == 3)
        #expect(scene.texts(.legendLabel).map(\.text) == (0..<3).map { "mobilenetv3-small__pan-aspp seed \($0)" })
        #expect(scene.texts(.title).map(\.text) == ["mAP@0.5 per epoch"])
        #expect(Set(scene.texts(.axisLabel).map(\.text)) == ["epoch", "mAP@0.5"])
        let xTicks = scene.texts(.tickLabel).filter { $0.box.minY > plot(scene).maxY }
        #expect(xTicks.count >= 3)
        #expect(scene.elements(.tick).count == scene.texts(.tickLabel).count)
    }

    @Test(arguments: [Size(300, 200), Size(160, 120), Size(520, 300)])
    func noTextOverlapsAnotherOrThePlot(size: Size) {
        let scene = layout.scene(lineChart(series: 4), size: size)
        let plot = plot(scene)
        let texts = scene.texts()
        for t in texts {
            #expect(!t.box.overlaps(plot), "\(t.text) at \(t.box) overlaps the plot \(plot)")
            #expect(Rect(x: 0, y: 0, width: size.width, height: size.height).contains(t.box), "\(t.text) leaves the scene")
        }
        for (i, a) in texts.enumerated() {
            for b in texts[(i + 1)...] { #expect(!a.box.overlaps(b.box), "\(a.text) overlaps \(b.text)") }
        }
    }

    @Test func aTallLegendMovesBelowThePlot() {
        let scene = layout.scene(lineChart(series: 14), size: Size(300, 300))
        let plot = plot(scene)
        let labels = scene.texts(.legendLabel)
        #expect(labels.count == 14)
        #expect(labels.allSatisfy { $0.box.minY >= plot.maxY }, "legend below the plot")
    }

    @Test func aLegendTooTallForItsChartEndsWithACount() {
        let scene = layout.scene(lineChart(series: 14), size: Size(300, 160))
        let labels = scene.texts(.legendLabel).map(\.text)
        #expect(labels.count < 14)
        #expect(labels.last == "… +\(14 - labels.count + 1)", "\(labels)")
        #expect(plot(scene).height > 160 * 0.3, "the plot keeps most of the chart")
    }

    @Test func linesFollowTheScale() {
        let chart = Chart(title: "", x: Axis("x", domain: 0...10), y: Axis.unit("y"),
                          marks: [.line(label: nil, points: [Point(0, 0), Point(10, 1)], style: .series(0))], legend: .none)
        let scene = layout.scene(chart, size: Size(200, 150))
        let plot = plot(scene)
        let points = scene.paths(.line)[0].points
        #expect(points == [Point(plot.minX, plot.maxY), Point(plot.maxX, plot.minY)])
    }

    @Test func bandsBarsErrorBarsAndFrontsAreDrawn() {
        let chart = Chart(title: "", x: Axis("mAP"), y: Axis("", categories: ["a", "b", "c"]),
                          marks: [.bars(values: [0.2, 0.5, 0.3], colors: []),
                                  .errorBars(points: [Point(0.2, 0), Point(0.5, 1)], low: [0.15, 0.45], high: [0.25, 0.55],
                                             horizontal: true, color: .ink)], legend: .none)
        let scene = layout.scene(chart, size: Size(240, 120))
        #expect(scene.paths(.bar).count == 3)
        #expect(scene.paths(.errorBar).count == 6, "a line and two caps per interval")
        let bars = scene.paths(.bar).map { $0.points.map(\.x).max()! - $0.points.map(\.x).min()! }
        #expect(abs(bars[1] / bars[0] - 2.5) < 1e-9, "bar lengths are proportional to values from 0")

        let front = Chart(title: "", x: Axis("params"), y: Axis("mAP"),
                          marks: [.front(label: "Pareto front", points: [Point(3, 0.5), Point(1, 0.2), Point(2, 0.4)], color: .ink),
                                  .highlight(at: Point(2, 0.4), text: "recommended", color: .ink)], legend: .right)
        let s2 = layout.scene(front, size: Size(240, 160))
        #expect(s2.paths(.front)[0].points.count == 5, "staircase through 3 sorted points")
        #expect(s2.texts(.annotation).map(\.text) == ["recommended"])
        #expect(plot(s2).contains(s2.texts(.annotation)[0].box))
    }

    @Test func heatMapHasACellPerValue() {
        let values: [[Double]] = [[0.9, 0.1, 0], [0.05, 0.8, 0.2], [0.05, 0.1, 0.8]]
        let names = ["<script>alert(1)</script>", "square", "background"]
        let chart = Chart(title: "confusion", x: Axis("true", categories: names), y: Axis("predicted", categories: names),
                          marks: [.heatMap(values: values, maximum: 1, text: values.map { $0.map { $0 > 0 ? "\($0)" : "" } })],
                          legend: .none)
        let scene = layout.scene(chart, size: Size(260, 260))
        #expect(scene.paths(.heatCell).count == 9)
        #expect(scene.texts(.heatLabel).count == 8, "every non-zero cell")
        let rotated = scene.texts(.tickLabel).filter { $0.quarterTurns == 1 }
        #expect(rotated.map(\.text) == names, "column names read upwards")
    }

    @Test func figureStacksPanelsAndOneLegend() {
        let figure = Figure(title: "cspdarknet", panels: (0..<6).map { _ in lineChart(series: 2, legend: .none) }, columns: 3,
                            panelHeight: 120, legend: [LegendEntry("pan-sppf", .line(.series(0))),
                                                       LegendEntry("pan-aspp", .line(.series(1)))],
                            note: "fixture data")
        let scene = layout.scene(figure, width: 540)
        #expect(scene.elements(.line).count == 12)
        #expect(scene.texts(.legendLabel).map(\.text) == ["pan-sppf", "pan-aspp"])
        #expect(scene.size.height > 2 * 120 && scene.size.height < 2 * 120 + 80)
        #expect(scene.texts(.note).map(\.text) == ["fixture data"])
    }

    /// A 2 × 2 panel goes to the first free place it fits, and the next panel fills the gap before it.
    @Test func spanningPanelsFlowIntoFreeSlots() {
        let figure = Figure(title: "", panels: (0..<6).map { _ in lineChart(series: 1, legend: .none) }, columns: 3,
                            panelHeight: 100, spans: [4: Figure.Span(columns: 2, rows: 2)])
        let places = figure.placements().map { [$0.column, $0.row, $0.span.columns, $0.span.rows] }
        #expect(places == [[0, 0, 1, 1], [1, 0, 1, 1], [2, 0, 1, 1], [0, 1, 1, 1], [1, 1, 2, 2], [0, 2, 1, 1]])
        let scene = layout.scene(figure, width: 540)
        #expect(scene.size.height > 3 * 100 && scene.size.height < 3 * 100 + 80, "three rows, not four")
    }
}
