/// Why a checkpoint could not be read: one line that starts with the file's path.
public struct TorchCheckpointError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure, for callers that branch on it (the message is for people).
    public enum Kind: String, Sendable, Equatable {
        /// A pickle global outside the allow-lists (a function or class the file wants called).
        case refusedGlobal
        /// The file ends before a length, record or storage it announces.
        case truncated
        /// A tensor or storage reaches past the bytes that hold it.
        case outOfBounds
        /// A zip entry whose name is absolute or climbs out of its folder.
        case unsafeEntryName
        /// A format this reader does not take (tar-era torch, TorchScript, an unknown opcode or dtype).
        case unsupported
        /// Bytes that are not what the format says they must be.
        case malformed
        /// The file could not be opened or read.
        case io
    }

    public let path: String
    public let kind: Kind
    /// The message after the path: names the key, global, entry or offset concerned.
    public let message: String

    public init(path: String, kind: Kind, message: String) {
        self.path = path
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// A failure found below the file level; `TorchCheckpoint.read` adds the path.
package struct CheckpointProblem: Error {
    package let kind: TorchCheckpointError.Kind
    package let message: String

    package init(_ kind: TorchCheckpointError.Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}
