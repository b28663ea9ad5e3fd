import ArgumentParser
import Foundation
import Report
import Results

extension StudyCtl {
    /// `studyctl report DIR`: re-renders a study's charts and reports from its result files.
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render a study's charts, report.html and report.pdf from its result files.",
            discussion: """
                Reads only the files a study wrote (manifest.json, recommendation.json, study.toml and \
                runs/*/results.csv, curves.json, summary.json), so it re-renders any study, finished or \
                not, without training. Unfinished cells are marked as such; no recommendation is shown \
                until the cells it needs are done. With no format flag, writes all three: DIR/charts/*.svg \
                (always), *.png (2×) and *.pdf, DIR/report.html and DIR/report.pdf. The language is \
                --language, else `[report] language` in DIR/study.toml, else English.
                """
        )

        @Argument(help: "The study's output folder (output/<study>).")
        var dir: String

        @Flag(help: "Write report.html (self-contained).")
        var html = false

        @Flag(help: "Write report.pdf and the charts as PDF.")
        var pdf = false

        @Flag(help: "Write the charts as PNG (2×).")
        var png = false

        @Option(help: "Report language: en or zh (default: [report] language of DIR/study.toml, else en).")
        var language: String?

        func validate() throws {
            if let language, !ReportLanguage.supported.contains(language) {
                throw ValidationError("--language must be one of \(ReportLanguage.supported.joined(separator: ", ")), got '\(language)'")
            }
        }

        func run() throws {
            let all = !html && !pdf && !png
            let outputs = StudyReport.Outputs(html: all || html, pdf: all || pdf, png: all || png)
            let report: StudyReport
            do { report = try StudyReport(path: dir, language: language) } catch {
                throw CLIError.badInput("error: \(error)")
            }
            let start = Date()
            let paths: [String]
            do { paths = try report.write(outputs) } catch { throw CLIError.failed("error: \(error)") }
            let charts = paths.filter { $0.contains("/charts/") }.count
            print("charts: \(charts) files in \((dir as NSString).appendingPathComponent("charts"))")
            for path in paths where !path.contains("/charts/") { print(path) }
            print(String(format: "rendered in %.2f s (%@)", Date().timeIntervalSince(start), report.language))
        }
    }
}
