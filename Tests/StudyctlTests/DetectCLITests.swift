import Foundation
import Testing

/// `studyctl detect` refusing what it cannot use: one line, exit 2.
struct DetectCLITests {
    let cli = CLITests()

    @Test func badInputIsOneLineAndExitTwo() throws {
        let empty = NSTemporaryDirectory() + "studyctl-detect-empty-\(getpid())"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let junk = NSTemporaryDirectory() + "studyctl-detect-junk-\(getpid()).safetensors"
        try Data("junk".utf8).write(to: URL(fileURLWithPath: junk))
        let junkONNX = NSTemporaryDirectory() + "studyctl-detect-junk-\(getpid()).onnx"
        try Data("junk".utf8).write(to: URL(fileURLWithPath: junkONNX))
        let png = NSTemporaryDirectory() + "studyctl-detect-\(getpid()).png"  // 1 × 1
        try Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC")!
            .write(to: URL(fileURLWithPath: png))
        for (arguments, says) in [
            (["detect", "--weights", "/nonexistent/best.safetensors", "--source", png], "cannot read the file"),
            (["detect", "--weights", junk, "--source", png], "truncated"),
            (["detect", "--weights", junk, "--source", empty], "no images (JPEG or PNG)"),
            (["detect", "--weights", junk, "--source", "/nonexistent/images"], "no such file or folder"),
            (["detect", "--weights", junk, "--source", empty, "--imgsz", "100"], "not a multiple of 32"),
            (["detect", "--weights", junk, "--source", empty, "--conf", "2"], "--conf must be from 0 to 1"),
            (["detect", "--weights", junkONNX, "--source", png], "not an ONNX model"),
        ] {
            let r = try cli.studyctlArguments(arguments)
            #expect(r.status == 2, "\(arguments): \(r.output)")
            #expect(r.output.contains(says) && r.output.split(separator: "\n").count == 1, "\(arguments): \(r.output)")
        }
    }

    /// The exported ONNX files, run on the engine by detect, find what the weights find: the
    /// dynamic export on the same letterbox to 1e-5, the fixed one at its own size; a fixed file
    /// refuses another --imgsz.
    @Test func onnxFilesDetectWhatTheWeightsDetect() throws {
        let run = TrainCLITests.folder("detect-onnx-run")
        let trained = try cli.studyctlArguments(TrainCLITests.trainArguments(run, threads: 2, epochs: 2))
        #expect(trained.status == 0, "\(trained.output)")
        let images = (TrainCLITests.dataset as NSString).deletingLastPathComponent + "/images/val"
        let dynamic = run + "/dynamic.onnx", fixed = run + "/fixed.onnx"
        #expect(try cli.studyctl("export", run, "--dynamic", "--output", dynamic).status == 0)
        #expect(try cli.studyctl("export", run, "--output", fixed).status == 0)
        func labels(_ weights: String, _ extra: [String] = []) throws -> [String: [[Double]]] {
            let out = TrainCLITests.folder("detect-onnx-out")
            let r = try cli.studyctlArguments(["detect", "--weights", weights, "--source", images, "--conf", "0.001", "--save-txt",
                                               "--save-conf", "--output", out] + extra)
            #expect(r.status == 0, "\(r.output)")
            var all: [String: [[Double]]] = [:]
            for file in (try? FileManager.default.contentsOfDirectory(atPath: out + "/labels")) ?? [] {
                let text = try String(contentsOfFile: out + "/labels/" + file, encoding: .utf8)
                all[file] = text.split(separator: "\n").map { $0.split(separator: " ").compactMap { Double($0) } }
            }
            return all
        }
        let native = try labels(run), onnx = try labels(dynamic, ["--imgsz", "64"]), square = try labels(fixed)
        #expect(!native.isEmpty && native.keys.sorted() == onnx.keys.sorted() && native.keys.sorted() == square.keys.sorted())
        for (file, rows) in native {
            #expect(rows.count == onnx[file]?.count, "\(file): \(rows.count) boxes from the weights, \(onnx[file]?.count ?? 0) from ONNX")
            for (a, b) in zip(rows, onnx[file] ?? []) { #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-5 }, "\(file): \(a) vs \(b)") }
        }
        let refused = try cli.studyctl("detect", "--weights", fixed, "--source", images, "--imgsz", "96", "--output", run + "/x")
        #expect(refused.status == 2 && refused.output.contains("fixed at 64 px"), "\(refused.output)")
    }
}
