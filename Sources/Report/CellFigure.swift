import Charts
import Foundation
import Results

/// One cell as YOLOv5's run folder shows it: PR curve (thin per class, bold for all, mAP@0.5 in
/// the legend), P, R and F1 against confidence, the normalised confusion matrix over four grid
/// slots, and the three losses train and val — from its first finished seed.
struct CellFigure {
    let strings: Strings

    func figure(_ cell: CellRecord) -> Figure {
        let s = strings
        let run = cell.finishedRuns.first ?? cell.runs.first { !$0.rows.isEmpty }
        var panels: [Chart] = []
        if let run, let curves = run.curves {
            panels.append(pr(curves))
            panels.append(confidence(curves, s.pConfidence, s.precision, curves.precision, curves.precisionAll))
            panels.append(confidence(curves, s.rConfidence, s.recall, curves.recall, curves.recallAll))
            panels.append(confidence(curves, s.f1Confidence, s.f1, curves.f1, curves.f1All))
        }
        var spans: [Int: Figure.Span] = [:]
        if let run, let curves = run.curves {
            spans[panels.count] = Figure.Span(columns: 2, rows: 2)  // beside F1 and above the losses: square, cells readable
            panels.append(confusion(curves))
        }
        if let run, !run.rows.isEmpty { panels.append(losses(run.rows)) }
        let state = CellStyles.stateNote(cell, s)
        let note = [run.map { s.shownSeed($0.seed) }, state, run?.curves == nil ? s.curvesMissing : nil]
            .compactMap { $0 }.joined(separator: " · ")
        return Figure(title: cell.name, panels: panels, columns: 3, panelHeight: 150, note: note, spans: spans)
    }

    /// Per-class styles: thin, lighter lines of the palette.
    func classStyle(_ i: Int) -> SeriesStyle { SeriesStyle(color: Palette.color(i + 1).opacity(0.75), width: 0.6) }
    let allStyle = SeriesStyle(color: Color(hex: 0x0072B2), width: 2)

    func pr(_ c: Curves) -> Chart {
        var marks: [Mark] = []
        let few = c.classes.count <= 10
        for (k, cls) in c.classes.enumerated() where k < c.pr.count {
            let name = cls < c.names.count ? c.names[cls] : "\(cls)"
            let ap = k < c.ap50.count ? String(format: " %.3f", c.ap50[k]) : ""
            marks.append(.line(label: few ? name + ap : nil, points: thin(c.prRecall, c.pr[k]), style: classStyle(k)))
        }
        let map50 = c.ap50.isEmpty ? 0 : c.ap50.reduce(0, +) / Double(c.ap50.count)
        marks.append(.line(label: String(format: "\(strings.allClasses) %.3f \(strings.map50)", map50),
                           points: thin(c.prRecall, c.prAll), style: allStyle))
        return Chart(title: strings.prCurve, x: Axis.unit(strings.recall), y: Axis.unit(strings.precision), marks: marks,
                     legend: .bottom)
    }

    func confidence(_ c: Curves, _ title: String, _ axis: String, _ perClass: [[Double]], _ all: [Double]) -> Chart {
        var marks: [Mark] = perClass.enumerated().map { k, ys in .line(label: nil, points: thin(c.confidence, ys), style: classStyle(k)) }
        let best = all.indices.max { all[$0] < all[$1] }
        let label = best.map { String(format: "\(strings.allClasses) %.2f @ %.3f", all[$0], c.confidence[$0]) } ?? strings.allClasses
        marks.append(.line(label: label, points: thin(c.confidence, all), style: allStyle))
        return Chart(title: title, x: Axis.unit(strings.confidence), y: Axis.unit(axis), marks: marks, legend: .bottom)
    }

    func losses(_ rows: [EpochResult]) -> Chart {
        let s = strings
        let parts: [(String, (EpochResult) -> Double, (EpochResult) -> Double)] =
            [(s.box, \.trainBox, \.valBox), (s.obj, \.trainObj, \.valObj), (s.cls, \.trainCls, \.valCls)]
        var marks: [Mark] = []
        for (i, part) in parts.enumerated() {
            let color = Palette.color([0, 6, 3][i])
            marks.append(.line(label: "\(part.0) \(s.train)", points: rows.map { Point(Double($0.epoch), part.1($0)) },
                               style: SeriesStyle(color: color, width: 1.2)))
            marks.append(.line(label: "\(part.0) \(s.val)", points: rows.map { Point(Double($0.epoch), part.2($0)) },
                               style: SeriesStyle(color: color, dash: Palette.dashes[1], width: 1.2)))
        }
        return Chart(title: s.lossesTitle, x: Axis(s.epoch, integer: true), y: Axis(s.lossAxis, include: [0]), marks: marks, legend: .bottom)
    }

    /// Columns normalised to 1 (each true class's predictions), as YOLOv5's plot does.
    func confusion(_ c: Curves) -> Chart {
        let m = c.confusion.map { $0.map(Double.init) }
        let n = m.count
        let sums = (0..<n).map { j in m.reduce(0) { $0 + (j < $1.count ? $1[j] : 0) } }
        let values = m.map { row in row.enumerated().map { j, v in sums[j] > 0 ? v / sums[j] : 0 } }
        let names = (0..<n).map { $0 < c.names.count && $0 < n - 1 ? c.names[$0] : strings.background }
        let text = values.map { $0.map { $0 >= 0.005 ? String(format: "%.2f", $0) : "" } }
        return Chart(title: strings.confusion, x: Axis(strings.trueClass, categories: names),
                     y: Axis(strings.predicted, categories: names),
                     marks: [.heatMap(values: values, maximum: 1, text: text)], legend: .none)
    }

    /// Every second point of a 1000-point curve; the layout simplifies further.
    func thin(_ x: [Double], _ y: [Double]) -> [Point] {
        let n = min(x.count, y.count)
        var points = stride(from: 0, to: n, by: 2).map { Point(x[$0], y[$0]) }
        if n > 0, (n - 1) % 2 != 0 { points.append(Point(x[n - 1], y[n - 1])) }
        return points
    }
}

extension CellStyles {
    /// "unfinished, 1/3 seeds" or "not started" for a cell that is not done; nil when it is.
    static func stateNote(_ cell: CellRecord, _ s: Strings) -> String? {
        if cell.finished { return nil }
        let failed = cell.runs.filter { $0.failure != nil }
        if !failed.isEmpty {
            return "\(s.failed): " + failed.map { "\(s.shownSeed($0.seed)) — \($0.failure!.isEmpty ? s.failed : $0.failure!)" }.joined(separator: "; ")
        }
        let done = cell.finishedRuns.count
        if done == 0, cell.runs.allSatisfy(\.rows.isEmpty) { return s.notStarted }
        return "\(s.unfinished), \(s.seedsDone(done, of: cell.runs.count))"
    }
}
