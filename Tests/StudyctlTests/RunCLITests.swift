import Foundation
import Testing

/// `studyctl run` end to end on a tiny built-in study: the same files from `--jobs 1` and
/// `--jobs 2`, from SIGKILLs at random moments followed by resumes, and refusals.
@Suite(.serialized)
struct RunCLITests {
    let cli = CLITests()

    static func study(_ dir: String, epochs: Int = 3, extra: String = "") -> String {
        let path = dir + "/study.toml"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let text = """
            [study]
            name = "tiny"
            repeats = 1

            [data.synthetic]
            kind = "shapes"
            train = 16
            val = 8
            imgsz = 64

            [train]
            epochs = \(epochs)
            batch = 8
            imgsz = 64

            [grid]
            backbone = ["cspdarknet", "shufflenetv2@0.5"]
            neck = ["pan-sppf"]
            \(extra)
            """
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let files = ["results.csv", "curves.json", "summary.json", "checkpoint/state.safetensors", "weights/last.safetensors", "weights/best.onnx",
                        "weights/best.safetensors", "gallery.json", "gallery/0.png"]
    static let cells = ["cspdarknet__pan-sppf__s0", "shufflenetv2@0.5__pan-sppf__s0"]

    func expectSameRuns(_ a: String, _ b: String) {
        for cell in Self.cells {
            for file in Self.files {
                let x = FileManager.default.contents(atPath: "\(a)/runs/\(cell)/\(file)")
                let y = FileManager.default.contents(atPath: "\(b)/runs/\(cell)/\(file)")
                #expect(x != nil && x == y, "\(cell)/\(file) differs between \(a) and \(b)")
            }
        }
        // Timings and latency are measurements of this moment, kept in timing.json and latency.json
        // and out of the recommendation unless the study ranks by latency: the rest is the same bytes.
        let ra = FileManager.default.contents(atPath: a + "/recommendation.json")
        let rb = FileManager.default.contents(atPath: b + "/recommendation.json")
        #expect(ra != nil && ra == rb, "recommendation.json differs")
    }

    @Test func jobsOneAndTwoAndKilledRunsGiveTheSameFiles() throws {
        let one = TrainCLITests.folder("run-j1"), two = TrainCLITests.folder("run-j2"), killed = TrainCLITests.folder("run-killed")
        let started = Date()
        let a = try cli.studyctlArguments(["run", Self.study(one), "--output", one + "/out", "--jobs", "1"])
        let wall = Date().timeIntervalSince(started)
        #expect(a.status == 0, "\(a.output)")
        #expect(a.output.contains("recommends"), "\(a.output)")
        let b = try cli.studyctlArguments(["run", Self.study(two), "--output", two + "/out", "--jobs", "2"])
        #expect(b.status == 0, "\(b.output)")
        expectSameRuns(one + "/out", two + "/out")

        let file = Self.study(killed)
        // Kill moments as fractions of the measured uninterrupted run, so a faster or busier machine
        // still kills mid-epoch, mid-checkpoint and between cells; the first two add up to a third of it.
        var delays = [0.12, 0.2, 0.15, 0.25, 0.1, 0.3, 0.18, 0.35, 0.22, 0.14, 0.4, 0.28].map { $0 * wall }
        var kills = 0
        while !FileManager.default.fileExists(atPath: killed + "/out/recommendation.json"), let delay = delays.first {
            delays.removeFirst()
            let process = Process()
            process.executableURL = CLITests.binary
            process.arguments = ["run", file, "--output", killed + "/out", "--threads", "1", "--jobs", "1"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                kills += 1
            }
            process.waitUntilExit()
        }
        let last = try cli.studyctlArguments(["run", file, "--output", killed + "/out"])
        #expect(last.status == 0, "\(last.output)")
        #expect(kills >= 2, "only \(kills) kills: the study finished too soon to test resuming")
        expectSameRuns(one + "/out", killed + "/out")

        let status = try cli.studyctl("status", killed + "/out")
        #expect(status.status == 0 && status.output.contains("2 of 2 cells done"), "\(status.output)")
    }

    /// `[export] onnx = false` writes no ONNX file; turned on later, the finished cells are exported
    /// without training again.
    @Test func onnxExportFollowsTheStudyFile() throws {
        let dir = NSTemporaryDirectory() + "studyctl-run-onnx-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir)
        let off = try cli.studyctl("run", Self.study(dir, epochs: 1, extra: "[export]\nonnx = false"), "--output", dir + "/out")
        #expect(off.status == 0, "\(off.output)")
        for cell in Self.cells { #expect(!FileManager.default.fileExists(atPath: "\(dir)/out/runs/\(cell)/weights/best.onnx")) }
        let on = try cli.studyctl("run", Self.study(dir, epochs: 1), "--output", dir + "/out")
        #expect(on.status == 0 && on.output.contains("is finished, skipped"), "\(on.output)")
        for cell in Self.cells {
            let size = (try? FileManager.default.attributesOfItem(atPath: "\(dir)/out/runs/\(cell)/weights/best.onnx")[.size] as? Int) ?? 0
            #expect(size > 1_000_000, "\(cell): best.onnx of \(size) bytes")
        }
    }

    /// Cluster options without `--executor slurm`, and `--executor slurm` where there is no sbatch:
    /// one line, exit 2, nothing written.
    @Test func slurmMistakesAreOneLineAndWriteNothing() throws {
        let dir = NSTemporaryDirectory() + "studyctl-run-slurm-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir)
        let study = Self.study(dir)
        let local = try cli.studyctl("run", study, "--output", dir + "/out", "--partition", "cpu")
        #expect(local.status == 2 && local.output.contains("need --executor slurm"), "\(local.output)")
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = ["run", study, "--output", dir + "/out", "--executor", "slurm"]
        process.environment = ["PATH": "/nonexistent"]
        let pipe = Pipe()
        (process.standardOutput, process.standardError) = (pipe, pipe)
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2, "\(output)")
        #expect(output.contains("sbatch not found on PATH") && output.split(separator: "\n").count == 1, "\(output)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/out"))
    }

    @Test func aFolderOfAnotherStudyIsRefusedUnlessFresh() throws {
        let dir = TrainCLITests.folder("run-changed")
        let first = try cli.studyctlArguments(["run", Self.study(dir, epochs: 1), "--output", dir + "/out", "--cell", Self.cells[0]])
        #expect(first.status == 0, "\(first.output)")
        let changed = try cli.studyctlArguments(["run", Self.study(dir, epochs: 2), "--output", dir + "/out"])
        #expect(changed.status == 2, "\(changed.output)")
        #expect(changed.output.contains("trained with other settings ([train] epochs: 1 → 2)"), "\(changed.output)")
        let summary = dir + "/out/runs/\(Self.cells[0])/summary.json"
        let before = try Data(contentsOf: URL(fileURLWithPath: summary))
        let reworded = try cli.studyctlArguments([
            "run", Self.study(dir, epochs: 1, extra: "# a comment\n[recommend]\ntolerance = 0.05\n[report]\nlanguage = \"zh\""),
            "--output", dir + "/out", "--cell", Self.cells[0]])
        #expect(reworded.status == 0, "another rule and report language reuse the finished cell: \(reworded.output)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: summary)) == before, "the finished cell is not trained again")
        #expect(try String(contentsOfFile: dir + "/out/study.toml", encoding: .utf8).contains("language = \"zh\""), "the folder keeps the file it ran")
        let unknownCell = try cli.studyctlArguments(["run", Self.study(dir, epochs: 1), "--output", dir + "/out", "--cell", "cspdarknet__pan-spp__s0"])
        #expect(unknownCell.status == 2 && unknownCell.output.contains("did you mean cspdarknet__pan-sppf__s0"), "\(unknownCell.output)")
    }

    @Test func dryRunListsCellsWithSizesAndEstimates() throws {
        let dir = TrainCLITests.folder("run-dry")
        let result = try cli.studyctlArguments(["run", Self.study(dir), "--dry-run"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("shufflenetv2@0.5__pan-sppf__s0") && result.output.contains("Estimated total"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: "output/tiny"))
    }

    /// An output folder that cannot be written is a failure of the run (exit 1), not bad input (2).
    @Test func anUnwritableOutputFolderExitsOne() throws {
        let dir = TrainCLITests.folder("run-unwritable")
        try FileManager.default.createDirectory(atPath: dir + "/out", withIntermediateDirectories: true)
        // a file where the runs/ folder must go (root ignores permissions, so a mode would not do)
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/out/runs"))
        let result = try cli.studyctlArguments(["run", Self.study(dir, epochs: 1), "--output", dir + "/out"])
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("out: cannot write"), "\(result.output)")
    }
}
