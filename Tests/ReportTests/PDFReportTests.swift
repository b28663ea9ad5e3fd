import Foundation
import Report
import Results
import Testing

/// report.pdf checked with poppler's tools, as a reviewer's machine would read it.
struct PDFReportTests {
    /// A fixture folder rendered in `language`; complete (with a recommendation) or with an unfinished cell.
    func rendered(_ language: String, complete: Bool) throws -> (URL, StudyFixture) {
        let dir = try temporaryFolder("pdf-\(language)")
        var fixture = StudyFixture()
        fixture.language = language
        if complete { fixture.unfinished = [] }
        try fixture.write(to: dir)
        try StudyReport(path: dir.path).write(StudyReport.Outputs(html: false, pdf: true, png: false))
        return (dir, fixture)
    }

    @Test(arguments: [("en", true), ("zh", true), ("en", false), ("zh", false)])
    func pdfIsA4WithEmbeddedFontsAndEveryCell(language: String, complete: Bool) throws {
        let (dir, fixture) = try rendered(language, complete: complete)
        defer { try? FileManager.default.removeItem(at: dir) }
        let pdf = dir.appendingPathComponent("report.pdf").path

        let info = try runProgram("/usr/bin/pdfinfo", [pdf]).out
        #expect(info.contains("Page size:       595.276 x 841.89 pts (A4)"), "\(info)")
        let pages = Int(info.split(separator: "\n").first { $0.hasPrefix("Pages:") }!.split(separator: " ").last!)!
        #expect(pages >= 4 && pages <= 14, "\(pages) pages for six cells")
        #expect(info.contains("CreationDate:    Wed May  1 10:00:00 2024 UTC"), "the manifest's start, not the clock")

        let fonts = try runProgram("/usr/bin/pdffonts", [pdf]).out.split(separator: "\n").dropFirst(2)
        #expect(!fonts.isEmpty)
        for line in fonts {
            let columns = line.split(separator: " ", omittingEmptySubsequences: true)
            #expect(columns[columns.count - 5] == "yes", "not embedded: \(line)")
        }
        if language == "zh" { #expect(fonts.contains { $0.contains("NotoSansCJK") }, "a CJK font embedded") }

        let text = try runProgram("/usr/bin/pdftotext", ["-layout", pdf, "-"]).out
        let s = Strings.forLanguage(language)
        #expect(text.contains(s.recommendation))
        if complete {
            let rec = try #require(try StudyResults(path: dir.path).recommendation?.recommended)
            let head = language == "zh" ? "推荐使用 \(rec)" : "Use \(rec):"
            #expect(text.contains(head), "the recommendation sentence")
            let noise = language == "zh" ? "\(rec) 是容差范围内唯一的单元。" : "\(rec) is the only cell within the tolerance."
            #expect(text.contains(noise), "the seed-noise statement in the report's language")
        } else {
            #expect(text.contains(s.noRecommendation))
            #expect(text.contains("ghostnet__pan-aspp (\(s.unfinished)"), "the unfinished cell is marked")
        }
        for cell in fixture.cellNames { #expect(text.contains(cell), "\(cell) in the PDF text") }

        let pngs = try temporaryFolder("pages")
        defer { try? FileManager.default.removeItem(at: pngs) }
        #expect(try runProgram("/usr/bin/pdftoppm", ["-r", "20", "-png", pdf, pngs.appendingPathComponent("p").path]).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: pngs.path).count == pages, "every page renders")
    }

    @Test func sameInputsGiveTheSameBytes() throws {
        let dir = try temporaryFolder("same")
        defer { try? FileManager.default.removeItem(at: dir) }
        try StudyFixture().write(to: dir)
        func files() throws -> [String: Data] {
            try StudyReport(path: dir.path).write()
            var out: [String: Data] = [:]
            let fm = FileManager.default
            for name in ["report.html", "report.pdf"] + (try fm.contentsOfDirectory(atPath: dir.appendingPathComponent("charts").path)).map({ "charts/\($0)" }) {
                out[name] = try Data(contentsOf: dir.appendingPathComponent(name))
            }
            return out
        }
        let first = try files()
        let second = try files()
        #expect(first.count > 30)
        for (name, data) in first { #expect(second[name] == data, "\(name) differs between two renders") }
    }

    /// The language is the one the manifest records; a manifest from before it did gives English,
    /// and `--language` overrides both.
    @Test func languageComesFromTheManifest() throws {
        let dir = try temporaryFolder("language")
        defer { try? FileManager.default.removeItem(at: dir) }
        var fixture = StudyFixture()
        fixture.language = "zh"
        try fixture.write(to: dir)
        #expect(try StudyReport(path: dir.path).language == "zh")
        #expect(try StudyReport(path: dir.path, language: "en").language == "en")
        let path = dir.appendingPathComponent("manifest.json").path
        var manifest = try ResultFiles.readJSON(StudyManifest.self, from: path)
        manifest.language = nil
        try ResultFiles.writeJSON(manifest, to: path)
        #expect(try StudyReport(path: dir.path).language == "en")
    }

    /// The benchmark of the issue: 20 cells × 3 seeds, HTML + PDF + PNGs (docs/report.md has the figure).
    @Test func twentyCellsRenderQuickly() throws {
        let dir = try temporaryFolder("bench")
        defer { try? FileManager.default.removeItem(at: dir) }
        try StudyFixture.twentyCells.write(to: dir)
        let start = Date()
        let report = try StudyReport(path: dir.path)
        let written = try report.write()
        let seconds = Date().timeIntervalSince(start)
        print(String(format: "20 cells × 3 seeds: %d files in %.2f s", written.count, seconds))
        #expect(report.study.cells.count == 20 && report.study.cells.allSatisfy { $0.runs.count == 3 })
        #expect(seconds < 30, "5 s on an idle machine (docs/report.md); the suite runs trainings beside it")
    }
}
