import Foundation

/// Runs another program (a Python for `latency --runtime onnxruntime`), found on PATH; never a shell.
enum Subprocess {
    /// Whether `program args` ran and exited 0; its output shown when `inheritOutput`, else dropped.
    static func succeeds(_ program: String, _ args: [String], inheritOutput: Bool = false) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + args
        if !inheritOutput {
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        }
        do { try process.run() } catch { return false }
        process.waitUntilExit()
        return process.terminationReason == .exit && process.terminationStatus == 0
    }
}
