import Foundation

/// A fresh temporary folder, removed by the caller.
func temporaryFolder(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("studyctl-\(name)-\(UUID())")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs a program; its standard output, standard error (through files: a chatty program never
/// blocks on a full pipe) and exit status.
@discardableResult
func runProgram(_ program: String, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
    let dir = try temporaryFolder("run")
    defer { try? FileManager.default.removeItem(at: dir) }
    let (outURL, errURL) = (dir.appendingPathComponent("out"), dir.appendingPathComponent("err"))
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    process.standardOutput = try FileHandle(forWritingTo: outURL)
    process.standardError = try FileHandle(forWritingTo: errURL)
    try process.run()
    process.waitUntilExit()
    let out = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
    let err = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
    return (process.terminationStatus, out, err)
}
