import Foundation
import Testing

/// Runs the built `studyctl` binary, as a user would.
struct CLITests {
    /// The studyctl executable next to the test bundle in the build products folder.
    static let binary: URL = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("studyctl").path),
              dir.path != "/" {
            dir.deleteLastPathComponent()
        }
        return dir.appendingPathComponent("studyctl")
    }()

    func studyctl(_ arguments: String...) throws -> (status: Int32, output: String) {
        try studyctlArguments(arguments)
    }

    /// Runs studyctl with `arguments`; stdout and stderr together.
    func studyctlArguments(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func helpExplainsTheTool() throws {
        let (status, output) = try studyctl("--help")
        #expect(status == 0)
        #expect(output.contains("which lightweight backbone"))
        #expect(output.contains("doctor"))
    }

    @Test func versionIsPrinted() throws {
        let (status, output) = try studyctl("--version")
        #expect(status == 0)
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    }

    @Test func doctorReportsRealValues() throws {
        let (status, output) = try studyctl("doctor")
        #expect(status == 0, "\(output)")
        #expect(output.contains("cairo           1."))
        #expect(output.contains("OpenBLAS 0."))
        #expect(output.contains("sgemm ok"))
        #expect(output.contains("onednn          2.") && output.contains("convolution ok"))
        #expect(output.contains("encode + decode ok"))
        #expect(output.contains("DejaVu Sans"))
    }

    @Test func unknownSubcommandIsBadInput() throws {
        let (status, output) = try studyctl("frobnicate")
        #expect(status == 2)
        #expect(output.contains("frobnicate"))
    }

    @Test func invalidOptionValueIsBadInput() throws {
        let (status, output) = try studyctl("bench", "--ops", "--threads", "0")
        #expect(status == 2)
        #expect(output.contains("--threads must be from 1 to 256"))
    }

    @Test func modelsListsTheZooWithYOLOv5nExact() throws {
        let (status, output) = try studyctl("models", "--imgsz", "64")
        #expect(status == 0, "\(output)")
        #expect(output.contains("cspdarknet__pan-sppf                  1872157"))
        #expect(output.contains("mobilenetv2@0.5__pan-aspp"))
        let (jsonStatus, json) = try studyctl("models", "--nc", "3", "--imgsz", "64", "--json")
        #expect(jsonStatus == 0)
        #expect(json.contains("\"parameters\" : 1767976"))
    }

    @Test func modelsListsClassifiersAtReferenceCounts() throws {
        let (status, output) = try studyctl("models", "--classifier", "--imgsz", "64")
        #expect(status == 0, "\(output)")
        #expect(output.contains("shufflenetv1                          1864728"))
        #expect(output.contains("ghostnet                              5182508"))
    }

    @Test func modelsPrintsOneModelLayerByLayer() throws {
        let (status, output) = try studyctl("models", "--backbone", "cspdarknet", "--neck", "pan-sppf", "--imgsz", "640")
        #expect(status == 0, "\(output)")
        #expect(output.contains("neck.context            SPPF                   164608"))
        #expect(output.contains("1872157 parameters, 1872157 trainable, 4.564 GFLOPs at 640 px"))
    }

    @Test(arguments: [
        (["models", "--backbone", "resnet50", "--neck", "pan-sppf"], "unknown backbone 'resnet50'; valid backbones: cspdarknet"),
        (["models", "--backbone", "mobilenetv2@0.7", "--neck", "pan-sppf"], "no width 0.7; valid widths: 1.0, 0.5"),
        (["models", "--backbone", "ghostnet", "--neck", "fpn"], "unknown neck 'fpn'; valid necks: pan-sppf"),
        (["models", "--imgsz", "100"], "image size 100 is not a multiple of 32"),
    ])
    func modelsRejectsWhatCannotBeBuilt(_ arguments: [String], _ message: String) throws {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        #expect(output.contains(message), "\(output)")
    }
}
