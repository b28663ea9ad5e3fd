import Foundation

extension ChartLayout {
    /// The scene elements of one mark, placed by `x` and `y`.
    func marks(_ mark: Mark, x: Placement, y: Placement, plot: Rect) -> [Element] {
        func project(_ p: Point) -> Point { Point(x(p.x), y(p.y)) }
        switch mark {
        case .line(_, let points, let style):
            var out: [Element] = runs(points).map { run in
                .shape(.line, .polyline(Polyline.simplify(run.map(project), tolerance: 0.15)),
                       stroke: Stroke(style.color, width: style.width, dash: style.dash))
            }
            if let marker = style.marker {
                let finite = points.filter { $0.x.isFinite && $0.y.isFinite }
                let step = max(1, finite.count / 15)
                for (i, p) in finite.enumerated() where i % step == 0 {
                    out.append(.shape(.marker, marker.path(project(p), radius: 1.6), fill: style.color))
                }
            }
            return out

        case .band(_, let xs, let lower, let upper, let color):
            let points = (0..<min(xs.count, lower.count, upper.count)).map { (xs[$0], lower[$0], upper[$0]) }
            var out: [Element] = []
            var run: [(Double, Double, Double)] = []
            func flush() {
                if run.count >= 2 {
                    let top = run.map { Point(x($0.0), y($0.2)) }, bottom = run.reversed().map { Point(x($0.0), y($0.1)) }
                    out.append(.shape(.band, .polyline(top + bottom, closed: true), fill: color.opacity(0.22)))
                }
                run = []
            }
            for p in points {
                if p.0.isFinite && p.1.isFinite && p.2.isFinite { run.append(p) } else { flush() }
            }
            flush()
            return out

        case .scatter(_, let points, let style):
            return points.filter { $0.x.isFinite && $0.y.isFinite }.map {
                .shape(.marker, (style.marker ?? .circle).path(project($0), radius: 3), fill: style.color,
                       stroke: Stroke(.white, width: 0.6))
            }

        case .errorBars(let points, let low, let high, let horizontal, let color):
            let stroke = Stroke(color, width: 0.8)
            return zip(points, zip(low, high)).flatMap { p, range -> [Element] in
                guard range.0.isFinite, range.1.isFinite else { return [] }
                let cap = 2.5
                if horizontal {
                    let (a, b, py) = (x(range.0), x(range.1), y(p.y))
                    return [.shape(.errorBar, .segment(Point(a, py), Point(b, py)), stroke: stroke),
                            .shape(.errorBar, .segment(Point(a, py - cap), Point(a, py + cap)), stroke: stroke),
                            .shape(.errorBar, .segment(Point(b, py - cap), Point(b, py + cap)), stroke: stroke)]
                }
                let (a, b, px) = (y(range.0), y(range.1), x(p.x))
                return [.shape(.errorBar, .segment(Point(px, a), Point(px, b)), stroke: stroke),
                        .shape(.errorBar, .segment(Point(px - cap, a), Point(px + cap, a)), stroke: stroke),
                        .shape(.errorBar, .segment(Point(px - cap, b), Point(px + cap, b)), stroke: stroke)]
            }

        case .bars(let values, let colors):
            let thickness = y.band * 0.62
            return values.enumerated().compactMap { i, v in
                guard v.isFinite else { return nil }
                let (a, b) = (x(0), x(v))
                let rect = Rect(x: min(a, b), y: y(Double(i)) - thickness / 2, width: abs(b - a), height: thickness)
                return .shape(.bar, .rect(rect), fill: colors.isEmpty ? Palette.color(0) : colors[i % colors.count])
            }

        case .heatMap(let values, let maximum, let text):
            var out: [Element] = []
            let (w, h) = (x.band, y.band)
            for (r, row) in values.enumerated() {
                for (c, v) in row.enumerated() {
                    let t = maximum > 0 ? v / maximum : 0
                    let rect = Rect(x: x(Double(c)) - w / 2, y: y(Double(r)) - h / 2, width: w, height: h)
                    out.append(.shape(.heatCell, .rect(rect), fill: Palette.sequential(t), stroke: Stroke(.white, width: 0.3)))
                    guard r < text.count, c < text[r].count, !text[r][c].isEmpty else { continue }
                    let style = TextStyle(size: theme.cellText.size, color: t > 0.55 ? .white : .ink)
                    let s = measurer.measure(text[r][c], style: style, wrapWidth: nil)
                    guard s.width + 1 <= w, s.height <= h else { continue }
                    let box = Rect(x: rect.midX - s.width / 2, y: rect.midY - s.height / 2, width: s.width, height: s.height)
                    out.append(.text(.heatLabel, TextItem(text: text[r][c], style: style, box: box)))
                }
            }
            return out

        case .front(_, let points, let color):
            let sorted = points.filter { $0.x.isFinite && $0.y.isFinite }.sorted { ($0.x, $0.y) < ($1.x, $1.y) }
            guard let first = sorted.first else { return [] }
            var stairs = [project(first)]
            for (a, b) in zip(sorted, sorted.dropFirst()) {
                stairs.append(project(Point(b.x, a.y)))
                stairs.append(project(b))
            }
            return [.shape(.front, .polyline(stairs), stroke: Stroke(color, width: 1, dash: [3, 2]))]

        case .highlight(let at, let text, let color):
            let c = project(at)
            return [.shape(.highlight, .circle(c, radius: 5.5), stroke: Stroke(color, width: 1.4))]
                + label(text, near: c, offset: 9, plot: plot, style: theme.annotation)

        case .annotation(let at, let text):
            return label(text, near: project(at), offset: 5, plot: plot, style: theme.note)
        }
    }

    /// Text to the right of `c` (or to its left when it would leave the plot), kept inside the plot.
    func label(_ text: String, near c: Point, offset: Double, plot: Rect, style: TextStyle) -> [Element] {
        let s = measurer.measure(text, style: style, wrapWidth: plot.width * 0.6)
        var x = c.x + offset
        if x + s.width > plot.maxX { x = c.x - offset - s.width }
        x = max(plot.minX + 1, min(x, plot.maxX - s.width - 1))
        let y = max(plot.minY + 1, min(c.y - s.height / 2, plot.maxY - s.height - 1))
        let box = Rect(x: x, y: y, width: s.width, height: s.height)
        // A light backing keeps the label readable where it crosses lines (the Pareto front, grid).
        let backing = Rect(x: x - 1.5, y: y - 0.5, width: s.width + 3, height: s.height + 1)
        return [.shape(.annotation, .rect(backing), fill: Color(r: 1, g: 1, b: 1, a: 0.85)),
                .text(.annotation, TextItem(text: text, style: style, box: box, wrapWidth: plot.width * 0.6))]
    }

    /// The stretches of `points` without a non-finite value.
    func runs(_ points: [Point]) -> [[Point]] {
        var out: [[Point]] = [], run: [Point] = []
        for p in points {
            if p.x.isFinite && p.y.isFinite { run.append(p) } else if !run.isEmpty {
                out.append(run)
                run = []
            }
        }
        if !run.isEmpty { out.append(run) }
        return out
    }
}
