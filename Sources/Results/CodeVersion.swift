import Foundation

/// The version of studyctl that wrote a result file.
///
/// Recorded in every manifest so a report says which code produced its numbers.
public enum CodeVersion {
    public static let string = "0.1.0"

    /// The git commit the binary was built from: `make build` writes it beside the binary
    /// (`studyctl.commit`); "unknown" for a binary built another way.
    public static let gitCommit: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let text = try? String(contentsOfFile: exe + ".commit", encoding: .utf8)
        return text?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty ?? "unknown (built without make)"
    }()

    /// The Swift compiler version this binary was built with, to the minor version.
    public static let swift: String = {
        #if compiler(>=6.5)
            return "6.5 or newer"
        #elseif compiler(>=6.4)
            return "6.4"
        #elseif compiler(>=6.3)
            return "6.3"
        #elseif compiler(>=6.2)
            return "6.2"
        #elseif compiler(>=6.1)
            return "6.1"
        #else
            return "6.0"
        #endif
    }()
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
