/// A study file that cannot be used: one line naming the file, line and key, with a suggestion.
public struct StudyFileError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A study that could not be carried out for a reason other than its input — the output folder
/// cannot be written or cleared — reported as one line with exit code 1, not 2.
public struct StudyRunFailure: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
