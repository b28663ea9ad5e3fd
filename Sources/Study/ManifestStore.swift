import Foundation
import Results

/// manifest.json, changed by read-modify-write under an exclusive file lock, so the processes of
/// one study (a local run, or every task of a cluster array and the process that waits for them)
/// each change only their own cells.
public struct ManifestStore: Sendable {
    public let layout: StudyLayout

    public init(_ layout: StudyLayout) { self.layout = layout }

    var lockPath: String { layout.manifest + ".lock" }

    /// The manifest as it is on disk, or nil when there is none (or it cannot be read).
    public func read() -> StudyManifest? { try? ResultFiles.readJSON(StudyManifest.self, from: layout.manifest) }

    /// Applies `change` to the manifest on disk (nil when there is none) and writes the result.
    public func update(_ change: (inout StudyManifest?) -> Void) throws(ResultFileError) {
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ResultFileError(file: lockPath, "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw ResultFileError(file: lockPath, "cannot lock: \(String(cString: strerror(errno)))") }
        }
        defer { flock(fd, LOCK_UN) }
        var manifest = read()
        change(&manifest)
        if let manifest { try ResultFiles.writeJSON(manifest, to: layout.manifest) }
    }
}
