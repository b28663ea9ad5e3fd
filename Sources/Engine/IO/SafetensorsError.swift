/// Why a safetensors file could not be read or written; names the file and the problem in one line.
public struct SafetensorsError: Error, CustomStringConvertible, Equatable {
    /// A tensor whose shape in the file differs from the one expected.
    public struct Misshapen: Equatable, Sendable {
        public let name: String
        public let found: Shape
        public let expected: Shape

        public init(name: String, found: Shape, expected: Shape) {
            self.name = name
            self.found = found
            self.expected = expected
        }
    }

    public enum Problem: Equatable, Sendable {
        /// The file could not be opened or read (the system's reason).
        case unreadable(String)
        /// The file ends before its header or data does.
        case truncated(String)
        /// The header length or JSON is invalid.
        case badHeader(String)
        /// A tensor's `data_offsets` disagree with its shape, its neighbours or the data section.
        case badOffsets(String)
        /// A tensor is stored in a type that is not read as Float32.
        case unsupportedDType(tensor: String, dtype: String)
        /// A tensor asked for by name is not in the file.
        case noSuchTensor(String)
        /// The file's tensors are not those expected: names missing, names extra, shapes different.
        case mismatch(missing: [String], extra: [String], misshapen: [Misshapen])
        /// A tensor name the format reserves.
        case invalidName(String)
        /// Writing or renaming into place failed (the system's reason).
        case writeFailed(String)
    }

    /// The path (or a label for bytes in memory).
    public let file: String
    public let problem: Problem

    public init(file: String, _ problem: Problem) {
        self.file = file
        self.problem = problem
    }

    public var description: String { "\(file): \(problem.message)" }
}

extension SafetensorsError.Problem {
    var message: String {
        switch self {
        case .unreadable(let reason): "cannot read the file: \(reason)"
        case .truncated(let detail): "truncated: \(detail)"
        case .badHeader(let detail): "bad header: \(detail)"
        case .badOffsets(let detail): "bad data_offsets: \(detail)"
        case .unsupportedDType(let tensor, let dtype):
            "tensor '\(tensor)' has dtype \(dtype); only F32, F16, BF16 and F64 are read"
        case .noSuchTensor(let name): "no tensor named '\(name)'"
        case .mismatch(let missing, let extra, let misshapen):
            "tensors do not match the expected ones: " + [
                missing.isEmpty ? nil : "missing " + Self.list(missing),
                extra.isEmpty ? nil : "unexpected " + Self.list(extra),
                misshapen.isEmpty ? nil : "wrong shape "
                    + Self.list(misshapen.map { "\($0.name) (\($0.found) in the file, \($0.expected) expected)" }),
            ].compactMap { $0 }.joined(separator: "; ")
        case .invalidName(let name): "'\(name)' is reserved and cannot name a tensor"
        case .writeFailed(let reason): "cannot write: \(reason)"
        }
    }

    /// The first ten items, then how many more.
    private static func list(_ items: [String]) -> String {
        let shown = items.prefix(10).joined(separator: ", ")
        return items.count > 10 ? "\(shown) and \(items.count - 10) more" : shown
    }
}
