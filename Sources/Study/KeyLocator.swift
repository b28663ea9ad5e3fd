import Foundation

/// Finds where a key of a TOML table is written, for error messages: `study.toml:9`.
///
/// TOML parsers do not keep positions for values, so this reads the lines: the current table is
/// the last `[header]` above, and a key is the text before `=`.
struct KeyLocator {
    private var entries: [(table: String, key: String, line: Int)] = []
    private var headers: [(table: String, line: Int)] = []

    init(_ text: String) {
        var table = ""
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("[") {
                table = trimmed.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
                headers.append((table, i + 1))
            } else if let eq = trimmed.firstIndex(of: "=") {
                let key = trimmed[..<eq].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                entries.append((table, key, i + 1))
            }
        }
    }

    /// The line of `key` in `table` ("" for the top level), if written plainly.
    func line(of key: String, in table: String) -> Int? {
        entries.first { $0.table == table && $0.key == key }?.line
    }

    /// The line of the `[table]` header.
    func line(ofTable table: String) -> Int? { headers.first { $0.table == table }?.line }
}
