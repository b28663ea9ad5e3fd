import Foundation
import Testing

/// Writes sample study folders for looking at the report as a user would:
/// `STUDYCTL_REPORT_SAMPLES=/tmp/samples swift test --filter SampleStudies` makes
/// /tmp/samples/{grid-en,partial-zh}; then `studyctl report /tmp/samples/grid-en`. The grid's
/// cspdarknet__pan-sppf__s0 is a real run when /tmp/run30 exists; every other number is invented
/// and the title says so.
struct SampleStudies {
    @Test func writeSamples() throws {
        guard let root = ProcessInfo.processInfo.environment["STUDYCTL_REPORT_SAMPLES"] else { return }
        let fm = FileManager.default
        try? fm.removeItem(atPath: root)
        var grid = StudyFixture.twentyCells
        if fm.fileExists(atPath: "/tmp/run30/summary.json") {
            grid.realRuns = ["cspdarknet__pan-sppf__s0": "/tmp/run30"]
            grid.title = "FIXTURE — synthetic numbers, not measured (except cspdarknet__pan-sppf seed 0: a real 30-epoch run)"
        }
        grid.unfinished = []
        try grid.write(to: URL(fileURLWithPath: "\(root)/grid-en"))
        var partial = StudyFixture()
        partial.language = "zh"
        partial.title = "示例数据（虚构数字，非实测）FIXTURE: <script>alert(1)</script>"
        partial.notStarted = ["ghostnet__pan-sppf__s0", "ghostnet__pan-sppf__s1", "ghostnet__pan-sppf__s2"]
        try partial.write(to: URL(fileURLWithPath: "\(root)/partial-zh"))
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
