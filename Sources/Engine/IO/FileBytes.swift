import Foundation

/// A failed file operation: what was attempted on which path, and the system's reason.
public struct FileIOError: Error, CustomStringConvertible {
    /// The errno value, 0 when the problem is not a system error (e.g. not a regular file).
    public let code: Int32
    /// "cannot open: No such file or directory", "not a regular file", ...
    public let reason: String
    /// The reason with the action and path: "open /a/b: No such file or directory".
    let message: String

    /// The error for `action` on `path`, with the reason in `errno`.
    init(_ action: String, _ path: String) {
        code = errno
        let text = String(cString: strerror(code))
        reason = "cannot \(action): \(text)"
        message = "\(action) \(path): \(text)"
    }

    init(path: String, reason: String) {
        code = 0
        self.reason = reason
        message = "\(path): \(reason)"
    }

    public var description: String { message }
}

/// The whole file at `path`; only regular files (a FIFO or a device is an error, not a hang).
public func readWholeFile(_ path: String) throws(FileIOError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard fd >= 0 else { throw FileIOError("open", path) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw FileIOError("stat", path) }
    guard info.st_mode & S_IFMT == S_IFREG else { throw FileIOError(path: path, reason: "not a regular file") }
    var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + offset, $0.count - offset) }
        if n < 0 && errno == EINTR { continue }
        guard n >= 0 else { throw FileIOError("read", path) }
        if n == 0 { break }
        offset += n
    }
    bytes.removeSubrange(offset...)
    return bytes
}

/// Writes `chunks` one after another to a temporary file beside `path`, flushes it to disk and
/// renames it into place, so a crash leaves either the old file or the whole new one.
func writeFileAtomically(_ path: String, _ chunks: [UnsafeRawBufferPointer]) throws(FileIOError) {
    let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw FileIOError("open", temporary) }
    func fail(_ action: String) -> FileIOError {
        let error = FileIOError(action, temporary)
        close(fd)
        unlink(temporary)
        return error
    }
    for chunk in chunks {
        var offset = 0
        while offset < chunk.count {
            let n = write(fd, chunk.baseAddress! + offset, chunk.count - offset)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw fail("write") }
            offset += n
        }
    }
    guard fsync(fd) == 0 else { throw fail("fsync") }
    guard close(fd) == 0 else {
        let error = FileIOError("close", temporary)
        unlink(temporary)
        throw error
    }
    guard rename(temporary, path) == 0 else {
        let error = FileIOError("rename to \(path)", temporary)
        unlink(temporary)
        throw error
    }
}
