/// One axis of a chart: its title and how values are placed.
public struct Axis: Sendable, Equatable {
    public var label: String
    public var kind: ScaleKind
    /// Values the domain must include (0 for bars, 1 for a probability).
    public var include: [Double]
    /// A fixed domain instead of one fitted to the data (ticks still nice).
    public var domain: ClosedRange<Double>?
    /// Named positions 0, 1, 2 … instead of numbers (bars, heat maps).
    public var categories: [String]?
    /// Ticks at whole numbers only (epochs).
    public var integer: Bool

    public init(_ label: String, kind: ScaleKind = .linear, include: [Double] = [], domain: ClosedRange<Double>? = nil,
                categories: [String]? = nil, integer: Bool = false) {
        (self.label, self.kind, self.include, self.domain, self.categories) = (label, kind, include, domain, categories)
        self.integer = integer
    }

    /// A probability axis, 0 to 1.
    public static func unit(_ label: String) -> Axis { Axis(label, domain: 0...1) }
}

/// Where a chart's legend goes.
public enum LegendPlacement: Sendable, Equatable {
    /// Beside the plot, or below it when it does not fit there.
    case right
    case bottom
    case none
}

/// A chart described as data: axes and marks, laid out by `ChartLayout` into a `Scene`.
public struct Chart: Sendable, Equatable {
    public var title: String
    public var x: Axis
    public var y: Axis
    public var marks: [Mark]
    public var legend: LegendPlacement
    /// Legend rows added after those taken from labelled marks (e.g. "train" / "val" styles).
    public var extraLegend: [LegendEntry]
    /// A line of small text under the chart (e.g. which seed a per-cell chart shows).
    public var note: String?

    public init(title: String, x: Axis, y: Axis, marks: [Mark], legend: LegendPlacement = .right,
                extraLegend: [LegendEntry] = [], note: String? = nil) {
        (self.title, self.x, self.y, self.marks, self.legend) = (title, x, y, marks, legend)
        (self.extraLegend, self.note) = (extraLegend, note)
    }

    /// Legend rows: labelled marks in order (first label wins), then `extraLegend`.
    public var legendEntries: [LegendEntry] {
        var seen = Set<String>()
        var out: [LegendEntry] = []
        func add(_ entry: LegendEntry) {
            if seen.insert(entry.label).inserted { out.append(entry) }
        }
        for mark in marks {
            switch mark {
            case .line(let label?, _, let style): add(LegendEntry(label, .line(style)))
            case .scatter(let label?, _, let style): add(LegendEntry(label, .marker(style)))
            case .band(let label?, _, _, _, let color): add(LegendEntry(label, .fill(color.opacity(0.25))))
            case .front(let label?, _, let color): add(LegendEntry(label, .line(SeriesStyle(color: color, dash: [3, 2]))))
            default: break
            }
        }
        extraLegend.forEach(add)
        return out
    }
}
