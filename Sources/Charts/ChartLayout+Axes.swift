extension ChartLayout {
    /// Grid, axis lines, ticks and their labels, the axis titles, the plot rectangle left for the
    /// marks, and the two placements.
    func axes(_ chart: Chart, in area: Rect) -> ([Element], Rect, Placement, Placement) {
        let (xs, ys) = extents(chart.marks)
        let tickHeight = measurer.measure("0", style: theme.tickLabel, wrapWidth: nil).height
        let xTitle = chart.x.label.isEmpty ? Size(0, 0) : measurer.measure(chart.x.label, style: theme.axisLabel, wrapWidth: area.width)
        let yTitle = chart.y.label.isEmpty ? Size(0, 0) : measurer.measure(chart.y.label, style: theme.axisLabel, wrapWidth: nil)

        let xCategories = chart.x.categories, yCategories = chart.y.categories
        let xCategoryWidth = min(45, xCategories.map { $0.map { labelWidth($0) }.max() ?? 0 } ?? 0)
        let xTickSpace = xCategories == nil ? tickHeight : xCategoryWidth
        let bottom = xTickSpace + theme.tickLength + 2 + (xTitle.height > 0 ? xTitle.height + theme.gap : 0)
        let top = tickHeight / 2
        let provisionalHeight = max(10, area.height - bottom - top)

        // The y axis: its labels decide the left margin.
        let yLabels: [(Double, String)]
        let yPlacement: (Rect) -> Placement
        if let categories = yCategories {
            yLabels = categories.enumerated().map { (Double($0.offset), $0.element) }
            yPlacement = { .category(count: categories.count, range: $0.minY...$0.maxY, reversed: false) }
        } else {
            let scale = fitted(chart.y, data: ys, count: max(2, Int(provisionalHeight / 26)), range: (0, 1))
            yLabels = scale.ticks.map { ($0, scale.label($0)) }
            yPlacement = { rect in
                var s = scale
                s.range = (rect.maxY, rect.minY)
                return .continuous(s)
            }
        }
        let yLabelCap = yCategories == nil ? area.width * 0.3 : xCategories == nil ? area.width * 0.4 : min(45, area.width * 0.3)
        let yTickWidth = min(yLabelCap, yLabels.map { labelWidth($0.1) }.max() ?? 0)
        let left = yTickWidth + theme.tickLength + 2 + (yTitle.width > 0 ? yTitle.height + theme.gap : 0)

        // The x axis: as many ticks as fit without their labels touching.
        var xLabels: [(Double, String)] = []
        var xScale: Scale?
        var right = theme.gap
        if let categories = xCategories {
            xLabels = categories.enumerated().map { (Double($0.offset), $0.element) }
        } else {
            let width = max(10, area.width - left - right)
            var count = max(2, Int(width / 38))
            while true {
                let scale = fitted(chart.x, data: xs, count: count, range: (0, width))
                let labels = scale.ticks.map { ($0, scale.label($0), labelWidth(scale.label($0))) }
                let fits = zip(labels, labels.dropFirst()).allSatisfy { a, b in
                    (a.2 + b.2) / 2 + theme.gap * 1.5 <= scale(b.0) - scale(a.0)
                }
                if fits || count <= 1 {
                    xScale = scale
                    xLabels = labels.map { ($0.0, $0.1) }
                    right = max(right, (labels.last?.2 ?? 0) / 2)
                    break
                }
                count -= 1
            }
        }
        let plot = area.inset(top: top, left: left, bottom: bottom, right: right)
        let y = yPlacement(plot)
        let x: Placement
        if let categories = xCategories {
            x = .category(count: categories.count, range: plot.minX...plot.maxX, reversed: false)
        } else {
            var s = xScale!
            s.range = (plot.minX, plot.maxX)
            x = .continuous(s)
        }

        var out: [Element] = []
        let gridStroke = Stroke(.grid, width: 0.5)
        if xCategories == nil {
            for (v, _) in xLabels { out.append(.shape(.grid, .segment(Point(x(v), plot.minY), Point(x(v), plot.maxY)), stroke: gridStroke)) }
        }
        if yCategories == nil {
            for (v, _) in yLabels { out.append(.shape(.grid, .segment(Point(plot.minX, y(v)), Point(plot.maxX, y(v))), stroke: gridStroke)) }
        }
        let axisStroke = Stroke(.ink, width: 0.7)
        out.append(.shape(.axis, .polyline([Point(plot.minX, plot.minY), Point(plot.minX, plot.maxY), Point(plot.maxX, plot.maxY)]),
                          stroke: axisStroke))

        // y ticks and labels (categories thinned when denser than their text).
        let yStride = yCategories == nil ? 1 : max(1, Int((tickHeight / max(0.1, y.band)).rounded(.up)))
        for (i, (v, text)) in yLabels.enumerated() where i % yStride == 0 {
            let py = y(v)
            out.append(.shape(.tick, .segment(Point(plot.minX - theme.tickLength, py), Point(plot.minX, py)), stroke: axisStroke))
            let w = min(yTickWidth, labelWidth(text))
            let box = Rect(x: plot.minX - theme.tickLength - 2 - w, y: py - tickHeight / 2, width: w, height: tickHeight)
            out.append(.text(.tickLabel, TextItem(text: text, style: theme.tickLabel, box: box, maxWidth: yTickWidth + 0.01)))
        }
        // x ticks and labels: numbers level, categories turned a quarter to read upwards.
        let xStride = xCategories == nil ? 1 : max(1, Int((tickHeight / max(0.1, x.band)).rounded(.up)))
        for (i, (v, text)) in xLabels.enumerated() where i % xStride == 0 {
            let px = x(v)
            out.append(.shape(.tick, .segment(Point(px, plot.maxY), Point(px, plot.maxY + theme.tickLength)), stroke: axisStroke))
            if xCategories != nil {
                let w = min(xCategoryWidth, labelWidth(text))
                let box = Rect(x: px - tickHeight / 2, y: plot.maxY + theme.tickLength + 2, width: tickHeight, height: w)
                out.append(.text(.tickLabel, TextItem(text: text, style: theme.tickLabel, box: box, quarterTurns: 1,
                                                      maxWidth: xCategoryWidth + 0.01)))
            } else {
                let w = labelWidth(text)
                let box = Rect(x: px - w / 2, y: plot.maxY + theme.tickLength + 2, width: w, height: tickHeight)
                out.append(.text(.tickLabel, TextItem(text: text, style: theme.tickLabel, box: box)))
            }
        }
        if xTitle.height > 0 {
            let box = Rect(x: plot.midX - xTitle.width / 2, y: plot.maxY + theme.tickLength + 2 + xTickSpace + theme.gap,
                           width: xTitle.width, height: xTitle.height)
            out.append(.text(.axisLabel, TextItem(text: chart.x.label, style: theme.axisLabel, box: box,
                                                  wrapWidth: area.width, centered: true)))
        }
        if yTitle.width > 0 {
            let length = min(yTitle.width, plot.height)
            let box = Rect(x: area.minX, y: plot.midY - length / 2, width: yTitle.height, height: length)
            out.append(.text(.axisLabel, TextItem(text: chart.y.label, style: theme.axisLabel, box: box, quarterTurns: 1,
                                                  maxWidth: plot.height + 0.01)))
        }
        return (out, plot, x, y)
    }

    func labelWidth(_ text: String) -> Double { measurer.measure(text, style: theme.tickLabel, wrapWidth: nil).width }

    /// A nice scale for `axis` over `data`, or over its fixed domain.
    func fitted(_ axis: Axis, data: [Double], count: Int, range: (Double, Double)) -> Scale {
        if let domain = axis.domain {
            var scale = Scale.nice(axis.kind, data: [domain.lowerBound, domain.upperBound], count: count, range: range,
                                   integer: axis.integer)
            if axis.kind == .linear {
                scale.ticks = scale.ticks.filter { domain.contains($0) }
                scale.domain = domain
            }
            return scale
        }
        return Scale.nice(axis.kind, data: data, include: axis.include, count: count, range: range, integer: axis.integer)
    }

    /// Every x and every y value the marks draw at.
    func extents(_ marks: [Mark]) -> ([Double], [Double]) {
        var xs: [Double] = [], ys: [Double] = []
        for mark in marks {
            switch mark {
            case .line(_, let p, _), .scatter(_, let p, _), .front(_, let p, _):
                xs += p.map(\.x)
                ys += p.map(\.y)
            case .band(_, let x, let lower, let upper, _):
                xs += x
                ys += lower + upper
            case .errorBars(let p, let low, let high, let horizontal, _):
                xs += horizontal ? low + high : p.map(\.x)
                ys += horizontal ? p.map(\.y) : low + high
            case .bars(let values, _): xs += values
            case .highlight(let p, _, _), .annotation(let p, _):
                xs.append(p.x)
                ys.append(p.y)
            case .heatMap: break
            }
        }
        return (xs.filter(\.isFinite), ys.filter(\.isFinite))
    }
}
