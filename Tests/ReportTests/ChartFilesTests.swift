import Charts
import Foundation
import Report
import Testing

struct ChartFilesTests {
    @Test func everyFigureIsWrittenInEveryFormat() throws {
        let dir = try temporaryFolder("charts")
        defer { try? FileManager.default.removeItem(at: dir) }
        try StudyFixture().write(to: dir)
        let study = try StudyResults(path: dir.path)
        let figures = ReportFigures.all(study, .en)
        #expect(figures.map(\.name).prefix(4) == ["accuracy-params", "comparison-metrics", "comparison-bars", "comparison-accuracy-cost"])
        #expect(figures.filter { if case .network = $0.section { true } else { false } }.count == 3)
        #expect(figures.filter { if case .cell = $0.section { true } else { false } }.count == 6)
        let files = ChartFiles(renderer: SceneRenderer(text: PangoText()))
        let scenes = files.scenes(figures)
        let written = try files.write(figures, scenes: scenes, to: dir.appendingPathComponent("charts").path,
                                      formats: ["png", "svg", "pdf"])
        #expect(written.count == figures.count * 3)
        let png = try CairoSurface.readPNG(dir.appendingPathComponent("charts/comparison-metrics.png").path)
        #expect(png.width == (scenes[1].size.width * 2).rounded(.up) && png.height == (scenes[1].size.height * 2).rounded(.up))
        if let sample = ProcessInfo.processInfo.environment["STUDYCTL_CHART_SAMPLE"] {
            try? FileManager.default.removeItem(atPath: sample)
            try FileManager.default.copyItem(atPath: dir.appendingPathComponent("charts").path, toPath: sample)
        }
    }
}
