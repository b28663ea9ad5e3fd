import Foundation
import Testing

import TorchCheckpoint

/// Files that try to run code, reach out of bounds, or are damaged: each refused in one line, nothing run or written.
@Suite struct HostileFileTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let file: String
        let kind: TorchCheckpointError.Kind
        let says: [String]
        var testDescription: String { file }
    }

    /// The file the hostile pickles would create if anything ran them (bench/torch_fixtures.py PWNED).
    static let pwned = "/tmp/studyctl-torch-checkpoint-pwned"

    static let cases: [Case] = [
        Case(
            file: "hostile_os_system.pt", kind: .refusedGlobal,
            says: [
                "refused global posix.system (a checkpoint can only hold tensors; re-save it as a state dict)",
                "archive/data.pkl",
            ]),
        Case(file: "hostile_eval_legacy.pt", kind: .refusedGlobal, says: ["refused global builtins.eval"]),
        Case(file: "module_zip.pt", kind: .refusedGlobal, says: ["refused global __main__.TinyNet"]),
        Case(
            file: "hostile_offset.pt", kind: .outOfBounds,
            says: [
                "tensor weight (size [4], stride [1], storage offset 10) reaches past the end of its storage 0 "
                    + "of 4 float32 elements"
            ]),
        Case(file: "hostile_expand.pt", kind: .outOfBounds, says: ["tensor weight (size [100000, 100000])"]),
        Case(
            file: "hostile_zip_slip.pt", kind: .unsafeEntryName,
            says: [
                "zip entry \"tiny_zip/../../evil\" climbs out of the archive folder"
            ]),
        Case(file: "hostile_truncated_zip.pt", kind: .truncated, says: ["truncated or damaged: a zip archive"]),
        Case(file: "hostile_truncated_legacy.pt", kind: .truncated, says: ["truncated: ", "of the legacy"]),
        Case(file: "old_tar.pt", kind: .unsupported, says: ["tar-format checkpoint", "re-save it with torch ≥ 1.6"]),
        Case(file: "torchscript.pt", kind: .unsupported, says: ["TorchScript archive"]),
    ]

    @Test(arguments: cases)
    func refusedInOneLineNamingTheProblem(_ c: Case) throws {
        let before = try FileManager.default.contentsOfDirectory(atPath: Fixtures.folder).sorted()
        let path = Fixtures.path(c.file)
        let error = try #require(throws: TorchCheckpointError.self) { try TorchCheckpoint.read(contentsOf: path) }
        #expect(error.kind == c.kind, "\(error)")
        #expect(error.description.hasPrefix(path + ": "))
        #expect(!error.description.contains("\n"))
        for part in c.says { #expect(error.message.contains(part), "\(error)") }
        // nothing ran, nothing was written
        #expect(!FileManager.default.fileExists(atPath: Self.pwned))
        #expect(try FileManager.default.contentsOfDirectory(atPath: Fixtures.folder).sorted() == before)
        let parent = URL(fileURLWithPath: Fixtures.folder).deletingLastPathComponent()
        #expect(!FileManager.default.fileExists(atPath: parent.appendingPathComponent("evil").path))
        #expect(
            !FileManager.default.fileExists(
                atPath: parent.deletingLastPathComponent().appendingPathComponent("evil").path))
    }

    @Test func aMissingFileIsOneLineToo() throws {
        let error = try #require(throws: TorchCheckpointError.self) {
            try TorchCheckpoint.read(contentsOf: "/nonexistent/yolov5n.pt")
        }
        #expect(error.kind == .io)
        #expect(error.description.hasPrefix("/nonexistent/yolov5n.pt: cannot be opened"))
    }

    @Test func entryNamesThatClimbOutAreRefused() throws {
        for bad in ["../evil", "archive/../../evil", "/etc/passwd", "\\evil", "archive\\..\\evil", "C:/evil"] {
            #expect(throws: CheckpointProblem.self, "\(bad)") { try ZipArchiveReader.checkName(bad) }
        }
        for good in ["archive/data.pkl", "archive/data/0", "yolov5n/.data/version", "a..b/data.pkl"] {
            #expect(throws: Never.self, "\(good)") { try ZipArchiveReader.checkName(good) }
        }
    }
}
