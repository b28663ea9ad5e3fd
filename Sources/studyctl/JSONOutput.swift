import Foundation

/// The JSON every `--json`/`--format json` output uses: pretty-printed, keys sorted.
func prettyJSON<T: Encodable>(_ value: T, snakeCaseKeys: Bool = false) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    if snakeCaseKeys { encoder.keyEncodingStrategy = .convertToSnakeCase }
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
