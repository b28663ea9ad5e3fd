/// A study file that cannot be used: one line naming the file, line and key, with a suggestion.
public struct StudyFileError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
