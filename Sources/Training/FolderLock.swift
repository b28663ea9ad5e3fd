import Foundation

/// A lock file holding the pid and host of the process that uses a folder, so a second process
/// is refused; a lock left by a process that is gone is taken over.
///
/// On a shared filesystem a lock from another host cannot be checked: it is refused, except
/// inside a Slurm job, where the scheduler runs each cell's task once at a time and a lock left
/// by a task on a failed node is stale.
public final class FolderLock {
    public let path: String
    private var held = true

    /// Takes the lock of `folder`, or throws naming the process that holds it.
    public init(folder: String) throws(LockError) {
        path = folder + "/.lock"
        let host = ProcessInfo.processInfo.hostName
        while true {
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 {
                let text = "\(getpid()) \(host)\n"
                _ = text.withCString { write(fd, $0, strlen($0)) }
                close(fd)
                return
            }
            guard errno == EEXIST else { throw LockError("\(path): cannot create the lock file: \(String(cString: strerror(errno)))") }
            let fields = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(whereSeparator: \.isWhitespace).map(String.init)
            let pid = fields.first.flatMap { Int32($0) }
            let owner = fields.count > 1 ? fields[1] : host
            if owner != host {
                guard ProcessInfo.processInfo.environment["SLURM_JOB_ID"] != nil else {
                    throw LockError("\(folder) is in use by process \(pid.map(String.init) ?? "?") on \(owner) (lock file \(path)); wait for it to finish, or delete the lock file if that process is gone")
                }
            } else if let pid, pid != getpid(), kill(pid, 0) == 0 || errno == EPERM {
                throw LockError("\(folder) is in use by process \(pid) (lock file \(path)); wait for it to finish or stop it")
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
