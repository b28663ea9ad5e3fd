import Foundation
import Testing

/// `studyctl export` refusing what is not a studyctl weights file: one line, exit 2. (Every
/// architecture's export is checked in ONNX Runtime by .ci/onnx/check.sh.)
struct ExportCLITests {
    let cli = CLITests()

    @Test func badWeightsAreOneLineAndExitTwo() throws {
        let junk = NSTemporaryDirectory() + "studyctl-export-junk-\(getpid()).safetensors"
        try Data("junk".utf8).write(to: URL(fileURLWithPath: junk))
        for (arguments, says) in [
            (["export", "/nonexistent/best.safetensors"], "cannot read the file"),
            (["export", junk], "truncated"),
            (["export", junk, "--imgsz", "100"], "not a multiple of 32"),
            (["export", junk, "--format", "tflite"], "--format must be onnx"),
        ] {
            let r = try cli.studyctlArguments(arguments)
            #expect(r.status == 2, "\(arguments): \(r.output)")
            #expect(r.output.contains(says) && r.output.split(separator: "\n").count == 1, "\(arguments): \(r.output)")
        }
    }

    /// `studyctl latency` on a folder without a finished run.
    @Test func latencyNeedsAFinishedRun() throws {
        let empty = NSTemporaryDirectory() + "studyctl-latency-empty-\(getpid())"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let r = try cli.studyctl("latency", empty)
        #expect(r.status == 2 && r.output.contains("no finished run") && r.output.split(separator: "\n").count == 1, "\(r.output)")
    }
}
