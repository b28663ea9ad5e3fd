import Foundation
import Testing

/// `studyctl train` end to end on tiny built-in datasets: determinism across runs and thread
/// counts, resume after SIGKILL at random moments, and one-line errors for bad input.
@Suite(.serialized)
struct TrainCLITests {
    let cli = CLITests()

    /// A fresh temporary folder.
    static func folder(_ name: String) -> String {
        let path = NSTemporaryDirectory() + "studyctl-train-\(name)-\(getpid())"
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// 24 training and 8 validation images of 64 px, made once.
    static let dataset: String = {
        let dir = folder("data")
        let process = Process()
        process.executableURL = CLITests.binary
        process.arguments = ["dataset", "synth", "--out", dir, "--train", "24", "--val", "8", "--imgsz", "64", "--seed", "3"]
        try? process.run()
        process.waitUntilExit()
        return dir + "/data.yaml"
    }()

    static func trainArguments(_ output: String, threads: Int, epochs: Int = 3) -> [String] {
        ["train", "--data", dataset, "--backbone", "cspdarknet", "--neck", "pan-sppf", "--epochs", "\(epochs)",
         "--batch", "8", "--imgsz", "64", "--threads", "\(threads)", "--output", output]
    }

    static let compared = ["results.csv", "curves.json", "weights/last.safetensors", "weights/best.safetensors"]

    func expectSameFiles(_ a: String, _ b: String) {
        for file in Self.compared {
            let x = FileManager.default.contents(atPath: a + "/" + file), y = FileManager.default.contents(atPath: b + "/" + file)
            #expect(x != nil && x == y, "\(file) differs between \(a) and \(b)")
        }
    }

    @Test func oneAndTwoThreadsGiveIdenticalFilesAndAKilledRunResumesToTheSameBits() throws {
        let one = Self.folder("t1"), two = Self.folder("t2"), killed = Self.folder("killed")
        let r1 = try cli.studyctlArguments(Self.trainArguments(one, threads: 1))
        #expect(r1.status == 0, "\(r1.output)")
        let started = Date()
        let r2 = try cli.studyctlArguments(Self.trainArguments(two, threads: 2))
        let wall = Date().timeIntervalSince(started)
        #expect(r2.status == 0, "\(r2.output)")
        expectSameFiles(one, two)
        let rows = (try? String(contentsOfFile: one + "/results.csv", encoding: .utf8))?.split(separator: "\n") ?? []
        #expect(rows.count == 4 && rows[0].contains("metrics/mAP_0.5:0.95"), "results.csv: \(rows)")

        // SIGKILL at moments spread over the run (mid-epoch, mid-validation, mid-write), resume each time;
        // fractions of the measured run, so a faster or busier machine still kills at least twice.
        var delays = [0.1, 0.3, 0.2, 0.45, 0.15, 0.35, 0.25, 0.55].map { $0 * wall }
        var kills = 0
        while !FileManager.default.fileExists(atPath: killed + "/summary.json"), let delay = delays.first {
            delays.removeFirst()
            let process = Process()
            process.executableURL = CLITests.binary
            process.arguments = Self.trainArguments(killed, threads: 2)
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
        let last = try cli.studyctlArguments(Self.trainArguments(killed, threads: 2))
        #expect(last.status == 0, "\(last.output)")
        #expect(kills >= 2, "the run finished before it could be killed twice; make it longer")
        expectSameFiles(one, killed)
        let leftovers = (FileManager.default.enumerator(atPath: killed)?.allObjects as? [String] ?? []).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
    }

    /// SIGTERM (what Slurm sends before a time limit or on pre-emption) at moments spread over the
    /// run: each process exits 143 after saving where it stopped — inside an epoch, right after an
    /// optimiser step — and the resumed runs end with the uninterrupted run's bits.
    @Test func aTerminatedRunSavesWhereItStoppedAndResumesToTheSameBits() throws {
        let reference = Self.folder("term-ref"), stopped = Self.folder("term")
        // Batch 2 and --nbs 2: 12 batches an epoch and an optimiser step after each, so most stops
        // land inside an epoch.
        let arguments = { (out: String) in
            ["train", "--data", Self.dataset, "--backbone", "cspdarknet", "--neck", "pan-sppf", "--epochs", "6", "--batch", "2",
             "--nbs", "2", "--imgsz", "64", "--threads", "2", "--output", out]
        }
        let started = Date()
        let r = try cli.studyctlArguments(arguments(reference))
        let wall = Date().timeIntervalSince(started)
        #expect(r.status == 0, "\(r.output)")
        // Short, repeated stops: the reference may have run slower than these (other suites run beside
        // it), so each stop is a small share of its time and there are enough to finish.
        var delays = Array(repeating: [0.1, 0.15, 0.2], count: 5).flatMap { $0 }.map { $0 * wall }
        var stops = 0
        while !FileManager.default.fileExists(atPath: stopped + "/summary.json"), let delay = delays.first {
            delays.removeFirst()
            let process = Process()
            process.executableURL = CLITests.binary
            process.arguments = arguments(stopped)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            guard process.isRunning else { continue }
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            #expect(process.terminationStatus == 143 || FileManager.default.fileExists(atPath: stopped + "/summary.json"),
                    "SIGTERM gave exit \(process.terminationStatus)")
            stops += 1
        }
        let last = try cli.studyctlArguments(arguments(stopped))
        #expect(last.status == 0, "\(last.output)")
        #expect(stops >= 2, "the run finished before it could be stopped twice; make it longer")
        let log = (try? String(contentsOfFile: stopped + "/train.log", encoding: .utf8)) ?? ""
        #expect(log.contains("at batch"), "no stop landed inside an epoch: \(log.split(separator: "\n").filter { $0.contains("Resuming") })")
        expectSameFiles(reference, stopped)
    }

    @Test func aFolderOfAnotherRunIsRefused() throws {
        let dir = Self.folder("other")
        let first = try cli.studyctlArguments(Self.trainArguments(dir, threads: 2, epochs: 1))
        #expect(first.status == 0, "\(first.output)")
        var other = Self.trainArguments(dir, threads: 2, epochs: 1)
        other += ["--seed", "5"]
        let second = try cli.studyctlArguments(other)
        #expect(second.status == 2, "\(second.output)")
        #expect(second.output.contains("holds the checkpoint of another run"), "\(second.output)")
        let again = try cli.studyctlArguments(Self.trainArguments(dir, threads: 2, epochs: 1))
        #expect(again.status == 0 && again.output.contains("already finished"), "\(again.output)")
        // val on the trained weights gives val.py's table for the 8 validation images
        let val = try cli.studyctlArguments(["val", "--weights", dir + "/weights/best.safetensors", "--data", Self.dataset, "--imgsz", "64"])
        #expect(val.status == 0 && val.output.contains("all") && val.output.contains("mAP50-95"), "\(val.output)")
        let row = val.output.split(separator: "\n").first { $0.contains(" all ") }?.split(separator: " ") ?? []
        #expect(row.count >= 3 && row[1] == "8", "\(val.output)")
        let wrong = try cli.studyctlArguments(["val", "--weights", Self.dataset, "--data", Self.dataset])
        #expect(wrong.status == 2, "\(wrong.output)")
    }

    @Test(arguments: [
        (["--imgsz", "100"], "multiple of 32"),
        (["--set", "lr=0.1"], "did you mean 'lr0'"),
        (["--set", "mosaic=2"], "probability"),
        (["--backbone", "resnet50"], "resnet50"),
        (["--neck", "fpn"], "fpn"),
        (["--pretrained", "/nonexistent/w.pth"], "/nonexistent/w.pth: cannot read the pretrained weights file"),
        (["--pretrained", "imagenet"], "cspdarknet has no published ImageNet weights"),
        (["--backbone", "mnasnet", "--pretrained", hostile("hostile_os_system.pt")], "refused global posix.system"),
        (["--backbone", "mnasnet", "--pretrained", hostile("tiny_zip.pt")], "not torchvision.mnasnet1_0's weights"),
    ])
    func badOptionsAreOneLineAndExitTwo(_ extra: [String], _ expected: String) throws {
        let dir = Self.folder("bad")
        let result = try cli.studyctlArguments(Self.trainArguments(dir, threads: 1, epochs: 1) + extra)
        #expect(result.status == 2, "\(extra): \(result.output)")
        #expect(result.output.contains(expected), "\(extra): \(result.output)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/results.csv"))
    }

    /// A checkpoint of TorchCheckpointTests' fixtures (hostile, or not a backbone's).
    static func hostile(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("TorchCheckpointTests/Fixtures/\(name)").path
    }

    /// A small dataset written by hand: two good images, and whatever `labels` holds.
    static func handmade(_ name: String, labels: [String: String], names: Int = 2) throws -> String {
        let dir = folder(name)
        let fm = FileManager.default
        for split in ["train", "val"] {
            try fm.createDirectory(atPath: "\(dir)/images/\(split)", withIntermediateDirectories: true)
            try fm.createDirectory(atPath: "\(dir)/labels/\(split)", withIntermediateDirectories: true)
        }
        let source = (TrainCLITests.dataset as NSString).deletingLastPathComponent
        for split in ["train", "val"] {
            for k in 0..<2 {
                try fm.copyItem(atPath: "\(source)/images/\(split)/00000\(k).png", toPath: "\(dir)/images/\(split)/im\(k).png")
                try "0 0.5 0.5 0.2 0.2\n".write(toFile: "\(dir)/labels/\(split)/im\(k).txt", atomically: true, encoding: .utf8)
            }
        }
        for (file, text) in labels { try text.write(toFile: "\(dir)/\(file)", atomically: true, encoding: .utf8) }
        let yaml = "path: .\ntrain: images/train\nval: images/val\nnames: [\((0..<names).map { "c\($0)" }.joined(separator: ", "))]\n"
        try yaml.write(toFile: dir + "/data.yaml", atomically: true, encoding: .utf8)
        return dir + "/data.yaml"
    }

    func train(_ yaml: String, _ name: String) throws -> (status: Int32, output: String) {
        try cli.studyctlArguments(["train", "--data", yaml, "--backbone", "cspdarknet", "--epochs", "1", "--batch", "2",
                                   "--imgsz", "64", "--output", Self.folder(name)])
    }

    @Test func aClassIdBeyondTheNamesIsAnErrorWithFileAndLine() throws {
        let yaml = try Self.handmade("nc", labels: ["labels/train/im1.txt": "0 0.5 0.5 0.2 0.2\n5 0.5 0.5 0.1 0.1\n"])
        let result = try train(yaml, "nc-run")
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains("im1.txt:2") && result.output.contains("out of range"), "\(result.output)")
    }

    @Test func aCorruptLabelLineIgnoresThatImageWithAWarning() throws {
        let yaml = try Self.handmade("corrupt", labels: ["labels/train/im1.txt": "0 0.5 zero 0.2 0.2\n"])
        let result = try train(yaml, "corrupt-run")
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("warning: ignoring") && result.output.contains("im1.txt:1"), "\(result.output)")
        #expect(result.output.contains("train: 1 images, 1 labels, 1 ignored"), "\(result.output)")
    }

    @Test func labelFilesWithAByteOrderMarkAreRead() throws {
        let yaml = try Self.handmade("bom", labels: ["labels/train/im1.txt": "\u{FEFF}1 0.5 0.5 0.2 0.2\n"])
        let result = try train(yaml, "bom-run")
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("train: 2 images, 2 labels, 0 ignored"), "\(result.output)")
    }

    @Test func anEmptySplitOrAMissingFolderIsAnError() throws {
        let yaml = try Self.handmade("empty", labels: [:])
        let folder = (yaml as NSString).deletingLastPathComponent
        for k in 0..<2 { try FileManager.default.removeItem(atPath: "\(folder)/images/val/im\(k).png") }
        let empty = try train(yaml, "empty-run")
        #expect(empty.status == 2 && empty.output.contains("val: no images"), "\(empty.output)")
        try FileManager.default.removeItem(atPath: "\(folder)/images/val")
        let missing = try train(yaml, "missing-run")
        #expect(missing.status == 2 && missing.output.contains("does not exist"), "\(missing.output)")
        let noFile = try train(folder + "/nothing.yaml", "nofile-run")
        #expect(noFile.status == 2 && noFile.output.contains("nothing.yaml"), "\(noFile.output)")
    }

    @Test func anUnreadableImageIsIgnored() throws {
        let yaml = try Self.handmade("unreadable", labels: ["images/train/im1.png": "not a png"])
        let result = try train(yaml, "unreadable-run")
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("warning: ignoring") && result.output.contains("im1.png"), "\(result.output)")
    }

    /// Every training image passes the header check but cannot be decoded: refused before training.
    @Test func aTrainingSetOfUndecodableImagesStopsBeforeTraining() throws {
        let yaml = try Self.handmade("undecodable", labels: [:])
        let folder = (yaml as NSString).deletingLastPathComponent
        for k in 0..<2 {
            let path = "\(folder)/images/train/im\(k).png"
            let head = try Data(contentsOf: URL(fileURLWithPath: path)).prefix(33)  // signature and IHDR: the size reads fine
            try (head + Data(repeating: 0x5A, count: 200)).write(to: URL(fileURLWithPath: path))
        }
        let result = try train(yaml, "undecodable-run")
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains("train: none of the 2 images can be decoded"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: Self.folder("undecodable-run") + "/results.csv"))
    }
}
