import Foundation

/// Writing result files safely and reading them back.
public enum ResultFiles {
    /// Writes `data` to a temporary name beside `path`, flushes it and renames it into place, so
    /// a crash leaves either the old file or the new one, never half of one.
    public static func writeAtomically(_ data: Data, to path: String) throws(ResultFileError) {
        let tmp = path + ".tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ResultFileError(file: path, "cannot write: \(String(cString: strerror(errno)))") }
        let ok = data.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { return false }
                offset += n
            }
            return fsync(fd) == 0
        }
        close(fd)
        guard ok, rename(tmp, path) == 0 else {
            unlink(tmp)
            throw ResultFileError(file: path, "cannot write: \(String(cString: strerror(errno)))")
        }
    }

    /// Sorted-key, pretty JSON: the same value gives the same bytes.
    public static func json<T: Encodable>(_ value: T) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return (try? encoder.encode(value)) ?? Data()
    }

    public static func writeJSON<T: Encodable>(_ value: T, to path: String) throws(ResultFileError) {
        try writeAtomically(json(value) + Data("\n".utf8), to: path)
    }

    public static func readJSON<T: Decodable>(_ type: T.Type, from path: String) throws(ResultFileError) -> T {
        guard let data = FileManager.default.contents(atPath: path) else { throw ResultFileError(file: path, "cannot read") }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw ResultFileError(file: path, "not a valid \(type) file: \(error)")
        }
    }
}
