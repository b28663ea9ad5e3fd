import Charts
import Foundation
import Results

/// Renders a study folder's reports: charts/*.svg|png|pdf, report.html and report.pdf, from the
/// result files alone.
public struct StudyReport {
    /// What to write.
    public struct Outputs: Sendable, Equatable {
        public var html: Bool, pdf: Bool, png: Bool
        public init(html: Bool = true, pdf: Bool = true, png: Bool = true) { (self.html, self.pdf, self.png) = (html, pdf, png) }
    }

    public let study: StudyResults
    public let language: String

    /// The study at `path`, in `language` — or, when nil, the language its manifest records ("en" if none).
    public init(path: String, language: String? = nil) throws(ResultFileError) {
        study = try StudyResults(path: path)
        self.language = language ?? study.language
    }

    /// Writes the outputs; returns the paths written (charts first).
    @discardableResult
    public func write(_ outputs: Outputs = Outputs()) throws -> [String] {
        let strings = Strings.forLanguage(language)
        let date = study.manifest.map { $0.finished ?? $0.started } ?? "2000-01-01T00:00:00Z"
        let renderer = SceneRenderer(text: PangoText(language: language), creationDate: date)
        let figures = ReportFigures.all(study, strings)
        let files = ChartFiles(renderer: renderer)
        let scenes = files.scenes(figures)
        let charts = study.layout.charts
        var formats = ["svg"]
        if outputs.png { formats.append("png") }
        if outputs.pdf { formats.append("pdf") }
        var written = try files.write(figures, scenes: scenes, to: charts, formats: formats)
        if outputs.html {
            let svgs = figures.map { f -> String in
                (try? String(contentsOfFile: (charts as NSString).appendingPathComponent("\(f.name).svg"), encoding: .utf8)) ?? ""
            }
            let html = HTMLReport(study: study, strings: strings, figures: figures, svgs: svgs).page()
            let path = study.layout.html
            try ResultFiles.writeAtomically(Data(html.utf8), to: path)
            written.append(path)
        }
        if outputs.pdf {
            let path = study.layout.pdf
            try PDFReport(study: study, strings: strings, figures: figures, scenes: scenes, renderer: renderer).write(to: path)
            written.append(path)
        }
        return written
    }
}

/// The languages a report can be written in.
public enum ReportLanguage {
    public static let supported = ["en", "zh"]
}
