import Charts
import Results

/// A figure of the report with its file name (charts/<name>.png|svg|pdf) and where it goes.
public struct ReportFigure: Sendable {
    public enum Section: Sendable, Equatable {
        /// Accuracy against the chosen cost: the title page's chart.
        case overview
        case comparison
        case network(String)
        case cell(String)
    }

    /// What is drawn: charts laid out by `ChartLayout`, or a gallery of detections.
    public enum Content: Sendable {
        case chart(Figure)
        case gallery(GalleryFigure)
    }

    public var name: String
    public var section: Section
    public var content: Content

    public init(name: String, section: Section, figure: Figure) { (self.name, self.section, self.content) = (name, section, .chart(figure)) }

    public init(name: String, section: Section, gallery: GalleryFigure) {
        (self.name, self.section, self.content) = (name, section, .gallery(gallery))
    }

    public var title: String {
        switch content {
        case .chart(let figure): figure.title
        case .gallery(let gallery): gallery.title
        }
    }

    /// The figure laid out `width` wide.
    public func scene(_ layout: ChartLayout, width: Double) -> Scene {
        switch content {
        case .chart(let figure): layout.scene(figure, width: width)
        case .gallery(let gallery): gallery.scene(measurer: layout.measurer, width: width)
        }
    }
}

/// Every figure of a study's report, in reading order.
public enum ReportFigures {
    /// The width figures are laid out at: A4's text width, so the PDF draws them at 1:1.
    public static let width = 523.0

    public static func all(_ study: StudyResults, _ strings: Strings) -> [ReportFigure] {
        let comparison = ComparisonFigures(study: study, strings: strings)
        var out: [ReportFigure] = []
        if let rec = study.recommendation, !rec.cells.isEmpty {
            out.append(ReportFigure(name: "accuracy-\(rec.cost.rawValue)", section: .overview,
                                    figure: comparison.accuracyCost(rec, only: rec.cost)))
        }
        out.append(ReportFigure(name: "comparison-metrics", section: .comparison, figure: comparison.metrics()))
        if let rec = study.recommendation, !rec.cells.isEmpty {
            out.append(ReportFigure(name: "comparison-bars", section: .comparison, figure: comparison.bars(rec)))
            out.append(ReportFigure(name: "comparison-accuracy-cost", section: .comparison, figure: comparison.accuracyCost(rec)))
        }
        let network = NetworkFigure(study: study, strings: strings)
        for backbone in study.backbones {
            out.append(ReportFigure(name: "network-\(fileName(backbone))", section: .network(backbone),
                                    figure: network.figure(backbone)))
        }
        if let best = rec(study), let gallery = GalleryFigure(cell: best, study: study, strings: strings, columns: 4, limit: 4) {
            out.insert(ReportFigure(name: "gallery-recommended", section: .overview, gallery: gallery), at: min(1, out.count))
        }
        let cell = CellFigure(strings: strings)
        for c in study.cells where !c.drawnRuns.isEmpty {
            out.append(ReportFigure(name: "cell-\(fileName(c.name))", section: .cell(c.name), figure: cell.figure(c)))
            if let gallery = GalleryFigure(cell: c, study: study, strings: strings, columns: 8) {
                out.append(ReportFigure(name: "gallery-\(fileName(c.name))", section: .cell(c.name), gallery: gallery))
            }
        }
        return out
    }

    /// The recommended cell, when the study has one.
    static func rec(_ study: StudyResults) -> CellRecord? {
        guard let name = study.recommendation?.recommended else { return nil }
        return study.cells.first { $0.name == name }
    }

    /// `name` with every character outside letters, digits and `. , @ - _` replaced by `_`.
    public static func fileName(_ name: String) -> String {
        String(name.unicodeScalars.map { s in
            (s.properties.isAlphabetic && s.isASCII) || ("0"..."9").contains(s) || ".,@-_".unicodeScalars.contains(s)
                ? Character(s) : "_"
        })
    }
}
