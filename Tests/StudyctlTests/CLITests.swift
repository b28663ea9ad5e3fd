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
        #expect(output.contains("--threads must be at least 1"))
    }
}
