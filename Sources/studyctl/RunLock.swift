import Foundation

/// A lock file holding the pid of the process that uses a folder; a lock left by a dead process
/// is taken over.
final class RunLock {
    let path: String

    /// Takes the lock of `folder`, or throws naming the process that holds it.
    init(folder: String) throws {
        path = folder + "/.lock"
        while true {
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 {
                let text = "\(getpid())\n"
                _ = text.withCString { write(fd, $0, strlen($0)) }
                close(fd)
                return
            }
            guard errno == EEXIST else { throw CLIError.badInput("\(path): cannot create the lock file: \(String(cString: strerror(errno)))") }
            let holder = (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if let holder, holder != getpid(), kill(holder, 0) == 0 || errno == EPERM {
                throw CLIError.badInput("\(folder) is in use by process \(holder) (lock \(path)); wait for it or stop it")
            }
            unlink(path)  // stale: its process is gone
        }
    }

    func release() { unlink(path) }
    deinit { release() }
}

/// An error the CLI reports as one line; bad input exits 2.
enum CLIError: Error, CustomStringConvertible {
    case badInput(String)
    case failed(String)

    var description: String {
        switch self {
        case .badInput(let message), .failed(let message): message
        }
    }
}
