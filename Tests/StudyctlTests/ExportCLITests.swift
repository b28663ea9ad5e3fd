import Export
import Foundation
import Results
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
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let r = try cli.studyctl("latency", empty)
        #expect(r.status == 2 && r.output.contains("no finished run") && r.output.split(separator: "\n").count == 1, "\(r.output)")
    }

    /// A run's latency bundle (one ONNX model per cell, bundle.json, latency.py), a device's answer
    /// taken back with --from, and the engine measured at two thread counts, each in latency.json.
    @Test func aBundleAndADevicesAnswerReachTheRunsLatencyFile() throws {
        let run = TrainCLITests.folder("latency-run"), bundle = TrainCLITests.folder("latency-bundle")
        let trained = try cli.studyctlArguments(TrainCLITests.trainArguments(run, threads: 2, epochs: 1))
        #expect(trained.status == 0, "\(trained.output)")
        let exported = try cli.studyctl("export", run, "--bundle", bundle)
        #expect(exported.status == 0, "\(exported.output)")
        let manifest = try ResultFiles.readJSON(LatencyBundle.Manifest.self, from: bundle + "/bundle.json")
        let cell = "cspdarknet__pan-sppf"
        #expect(manifest.models.map(\.name) == [cell] && manifest.models[0].imageSize == 64)
        #expect(FileManager.default.fileExists(atPath: bundle + "/models/\(cell).onnx"))
        #expect(try String(contentsOfFile: bundle + "/latency.py", encoding: .utf8).contains("onnxruntime"))

        let device = LatencyMeasurement(runtime: "onnxruntime 9.9 (test)", machine: "Cortex-A53", threads: 4, imageSize: 64,
                                        warmup: 10, times: [30, 31, 32])
        try ResultFiles.writeJSON(BundleLatency(measurements: [cell: [device]]), to: bundle + "/latency.json")
        let taken = try cli.studyctl("latency", run, "--from", bundle + "/latency.json")
        #expect(taken.status == 0, "\(taken.output)")
        #expect(RunLayout(run).readLatencies() == [device])

        let measured = try cli.studyctl("latency", run, "--threads", "1,2", "--min-time", "0", "--warmup", "1")
        #expect(measured.status == 0, "\(measured.output)")
        let ms = RunLayout(run).readLatencies()
        #expect(ms.map(\.threads) == [1, 2] && ms.allSatisfy { $0.runtime.hasPrefix("studyctl engine") && $0.medianMs > 0 && $0.runs >= 20 })

        let wrong = try cli.studyctl("latency", run, "--from", bundle + "/bundle.json")
        #expect(wrong.status == 2 && wrong.output.contains("not the latency.json") && wrong.output.split(separator: "\n").count == 1,
                "\(wrong.output)")
    }
}
