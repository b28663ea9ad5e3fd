/// Something wrong with an input file, located as `file:line: what is wrong` (the line when known).
public struct InputProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based line number, or nil for a problem with the whole file.
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
