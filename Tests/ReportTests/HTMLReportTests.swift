import Charts
import Foundation
import Report
import Results
import Testing

/// report.html opened in a real browser (Debian's chromium, headless), as a reviewer would.
struct HTMLReportTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.fileExists(atPath: $0) }

    func browser(_ arguments: [String]) throws -> (out: String, err: String) {
        let chromium = try #require(Self.chromium, "chromium is not installed: run `make deps`")
        let profile = try temporaryFolder("chromium")
        defer { try? FileManager.default.removeItem(at: profile) }
        let r = try runProgram(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
                                          "--user-data-dir=\(profile.path)", "--enable-logging=stderr", "--v=0"] + arguments)
        #expect(r.status == 0, "\(r.err.suffix(2000))")
        return (r.out, r.err)
    }

    @Test func hostileNamesShowAsTextAndRunNothing() throws {
        let dir = try temporaryFolder("html")
        defer { try? FileManager.default.removeItem(at: dir) }
        let fixture = StudyFixture()
        try fixture.write(to: dir)
        try StudyReport(path: dir.path).write(StudyReport.Outputs(html: true, pdf: false, png: false))
        let page = dir.appendingPathComponent("report.html")
        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(!html.contains("<script>alert") && !html.contains("<img"), "no user string reaches the page as markup")
        #expect(html.components(separatedBy: "<script>").count == 2, "one script: the table sorter")
        #expect(!html.contains("http://") || html.components(separatedBy: "http://").dropFirst().allSatisfy { $0.hasPrefix("www.w3.org/") },
                "nothing to fetch: only XML namespaces")

        let (dom, log) = try browser(["--virtual-time-budget=2000", "--dump-dom", page.absoluteString])
        #expect(dom.contains("data-sortable=\"ready\""), "the page's own script ran, so scripts were enabled")
        #expect(!dom.contains("<img") && !dom.contains("<script>alert"), "no injected element in the live DOM")
        for name in fixture.names { #expect(dom.contains(HTMLText(name)), "\(name) shown as text") }
        #expect(dom.components(separatedBy: "<svg").count - 1 >= 10, "charts are inline SVG")
        let console = log.split(separator: "\n").filter { $0.contains("CONSOLE") || $0.contains("Content Security Policy") || $0.contains("Uncaught") }
        #expect(console.isEmpty, "console: \(console)")

        let shot = dir.appendingPathComponent("shot.png")
        _ = try browser(["--window-size=1200,1800", "--screenshot=\(shot.path)", page.absoluteString])
        let image = try CairoSurface.readPNG(shot.path)
        #expect(image.width == 1200 && image.height == 1800)
        var colours = Set<UInt32>(), dark = 0
        for y in stride(from: 0, to: 1800, by: 6) {
            for x in stride(from: 0, to: 1200, by: 6) {
                let p = image.pixel(x: x, y: y)
                colours.insert(UInt32(p.r) << 16 | UInt32(p.g) << 8 | UInt32(p.b))
                if Int(p.r) + Int(p.g) + Int(p.b) < 300 { dark += 1 }
            }
        }
        #expect(colours.count > 50, "not blank: \(colours.count) colours")
        #expect(dark > 200, "text and chart ink present: \(dark) dark samples")
    }

    /// What the browser's serialiser writes for `text` in element content.
    func HTMLText(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// A study ranked by latency says, beside its rule, that the ranking rests on a measurement of
    /// a machine; one ranked by parameters does not. Both say under the table what measured it.
    @Test func aLatencyRankingSaysItRestsOnAMeasurement() throws {
        let dir = try temporaryFolder("latency-rule")
        defer { try? FileManager.default.removeItem(at: dir) }
        var rec = try StudyFixture().write(to: dir)
        let caveat = "The ranking rests on batch-1 latency, measured as the note under the table says"
        let note = "Latency: batch 1 at 160 px, median of the timed runs, fixture, 2 thread(s), on fixture CPU."
        try StudyReport(path: dir.path).write(StudyReport.Outputs(html: true, pdf: false, png: false))
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(!html.contains(caveat) && html.contains(note))
        rec.cost = .latency
        for i in rec.cells.indices { (rec.cells[i].latencyMs, rec.cells[i].cost) = (5 + Double(i), 5 + Double(i)) }
        try ResultFiles.writeJSON(rec, to: dir.appendingPathComponent("recommendation.json").path)
        try StudyReport(path: dir.path).write(StudyReport.Outputs(html: true, pdf: false, png: false))
        #expect(try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8).contains(caveat))
    }

    /// The report names the backbones that started from pretrained weights, each with its file and
    /// hash, and says whether any other trained from scratch — without calling a user's file ImageNet's.
    @Test func theReportSaysWhichBackbonesStartedFromWhichWeights() throws {
        let dir = try temporaryFolder("pretrained-sentence")
        defer { try? FileManager.default.removeItem(at: dir) }
        try StudyFixture().write(to: dir)
        let path = dir.appendingPathComponent("manifest.json").path
        func report(_ files: [String: WeightsFile]) throws -> String {
            var manifest = try ResultFiles.readJSON(StudyManifest.self, from: path)
            manifest.pretrained = files
            try ResultFiles.writeJSON(manifest, to: path)
            try StudyReport(path: dir.path).write(StudyReport.Outputs(html: true, pdf: false, png: false))
            return try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        }
        let ghost = WeightsFile(file: "/w/ghostnet-own.pth", sha256: String(repeating: "c", count: 64))
        let some = try report(["ghostnet": ghost])
        #expect(some.contains("Started from pretrained weights: ghostnet (ghostnet-own.pth, sha256 cccccccccccc…); every other backbone trained from scratch."))
        #expect(!some.contains("ImageNet"))
        let all = try report(["ghostnet": ghost, "cspdarknet": WeightsFile(file: "/w/a.pth", sha256: String(repeating: "a", count: 64)),
                              "mobilenetv3-small": WeightsFile(file: "/w/b.pth", sha256: String(repeating: "b", count: 64))])
        #expect(all.contains("Every backbone started from pretrained weights: cspdarknet (a.pth, sha256 aaaaaaaaaaaa…), "
                             + "ghostnet (ghostnet-own.pth, sha256 cccccccccccc…), mobilenetv3-small (b.pth, sha256 bbbbbbbbbbbb…)."))
    }
}
