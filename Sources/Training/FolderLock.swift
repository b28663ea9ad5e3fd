import Foundation

/// A lock file holding the pid of the process that uses a folder, so a second process is
/// refused; a lock left by a process that is gone is taken over.
public final class FolderLock {
    public let path: String
    private var held = true

    /// Takes the lock of `folder`, or throws naming the process that holds it.
    public init(folder: String) throws(LockError) {
        path = folder + "/.lock"
        while true {
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 {
                let text = "\(getpid())\n"
                _ = text.withCString { write(fd, $0, strlen($0)) }
                close(fd)
                return
            }
            guard errno == EEXIST else { throw LockError("\(path): cannot create the lock file: \(String(cString: strerror(errno)))") }
            let holder = (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if let holder, holder != getpid(), kill(holder, 0) == 0 || errno == EPERM {
                throw LockError("\(folder) is in use by process \(holder) (lock file \(path)); wait for it to finish or stop it")
            }
            unlink(path)  // stale: its process is gone
        }
    }

    /// Gives the lock up (also on deinit).
    public func release() {
        if held { unlink(path) }
        held = false
    }

    deinit { release() }
}

/// A folder that another process uses.
public struct LockError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
