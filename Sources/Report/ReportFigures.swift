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

    public var name: String
    public var section: Section
    public var figure: Figure
}

/// Every figure of a study's report, in reading order.
public enum ReportFigures {
    /// The width figures are laid out at: A4's text width, so the PDF draws them at 1:1.
    public static let width = 523.0

    public static func all(_ study: StudyFolder, _ strings: Strings) -> [ReportFigure] {
        let comparison = ComparisonFigures(study: study, strings: strings)
        var out: [ReportFigure] = []
        if let rec = study.recommendation, !rec.cells.isEmpty {
            out.append(ReportFigure(name: "accuracy-\(rec.cost)", section: .overview,
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
        let cell = CellFigure(strings: strings)
        for c in study.cells where !c.drawnRuns.isEmpty {
            out.append(ReportFigure(name: "cell-\(fileName(c.name))", section: .cell(c.name), figure: cell.figure(c)))
        }
        return out
    }

    /// `name` with every character outside letters, digits and `. , @ - _` replaced by `_`.
    public static func fileName(_ name: String) -> String {
        String(name.unicodeScalars.map { s in
            (s.properties.isAlphabetic && s.isASCII) || ("0"..."9").contains(s) || ".,@-_".unicodeScalars.contains(s)
                ? Character(s) : "_"
        })
    }
}
