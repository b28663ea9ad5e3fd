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
        ] {
            let r = try cli.studyctlArguments(arguments)
            #expect(r.status == 2, "\(arguments): \(r.output)")
            #expect(r.output.contains(says) && r.output.split(separator: "\n").count == 1, "\(arguments): \(r.output)")
        }
    }
}
