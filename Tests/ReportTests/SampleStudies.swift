import Foundation
import Report
import Testing

/// Sample study folders for looking at the report as a user would, checked as they are read back:
/// `STUDYCTL_REPORT_SAMPLES=/tmp/samples swift test --filter SampleStudies` keeps them in
/// /tmp/samples/{grid-en,real-en,partial-zh} (otherwise they go to a temporary folder); then
/// `studyctl report /tmp/samples/grid-en`. The grid's real-en holds /tmp/run30 (a real run) as
/// cspdarknet__pan-sppf when it exists; every other number is invented and each title says so.
struct SampleStudies {
    @Test func samplesReadBackAsTheStudiesTheyDescribe() throws {
        let kept = ProcessInfo.processInfo.environment["STUDYCTL_REPORT_SAMPLES"]
        let root = try kept ?? temporaryFolder("samples").path
        let fm = FileManager.default
        defer { if kept == nil { try? fm.removeItem(atPath: root) } }
        try? fm.removeItem(atPath: root)
        var grid = StudyFixture.twentyCells
        grid.title = "FIXTURE — synthetic numbers, not measured: 20 cells × 3 seeds"
        try grid.write(to: URL(fileURLWithPath: "\(root)/grid-en"))
        if fm.fileExists(atPath: "/tmp/run30/summary.json") {
            var real = StudyFixture()
            (real.seeds, real.epochs, real.unfinished) = (1, 30, [])
            real.names = ["circle", "square", "triangle", "star", "ring", "cross", "hexagon", "ellipse"]
            real.realRuns = ["cspdarknet__pan-sppf__s0": "/tmp/run30"]
            real.title = "cspdarknet__pan-sppf is a real 30-epoch run; every other cell is FIXTURE data (invented)"
            real.description = "cspdarknet__pan-sppf__s0 is copied from a real training run (/tmp/run30); every other number is invented."
            try real.write(to: URL(fileURLWithPath: "\(root)/real-en"))
        }
        var partial = StudyFixture()
        partial.language = "zh"
        partial.title = "示例数据（虚构数字，非实测）FIXTURE: <script>alert(1)</script>"
        partial.notStarted = ["ghostnet__pan-sppf__s0", "ghostnet__pan-sppf__s1", "ghostnet__pan-sppf__s2"]
        try partial.write(to: URL(fileURLWithPath: "\(root)/partial-zh"))

        let gridStudy = try StudyResults(path: "\(root)/grid-en")
        #expect(gridStudy.cells.count == 20 && gridStudy.cells.allSatisfy { $0.finishedRuns.count == 3 })
        #expect(gridStudy.recommendation?.recommended != nil && gridStudy.title.hasPrefix("FIXTURE"))
        let partialStudy = try StudyResults(path: "\(root)/partial-zh")
        let ghost = try #require(partialStudy.cells.first { $0.name == "ghostnet__pan-sppf" })
        #expect(ghost.runs.allSatisfy { $0.rows.isEmpty && !$0.finished }, "not started: no rows, no summary")
        #expect(partialStudy.recommendation?.recommended == nil, "no recommendation while cells are missing")
    }
}

extension StudyFixture {
    /// 10 backbones × 2 necks × 3 seeds, every run finished: the benchmark's size.
    static var twentyCells: StudyFixture {
        var f = StudyFixture()
        f.backbones = ["cspdarknet", "mobilenetv1@0.5", "mobilenetv2", "mobilenetv3-small", "mobilenetv3-large", "ghostnet",
                       "shufflenetv1", "shufflenetv2", "mnasnet", "mobilenetv2@0.75"]
        f.names = ["circle", "square", "triangle", "star", "ring", "cross", "hexagon", "ellipse"]
        f.epochs = 30
        f.unfinished = []
        return f
    }
}
