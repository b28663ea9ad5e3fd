import Export
/// An error the CLI reports as one line; bad input exits 2, a failure 1.
enum CLIError: Error, CustomStringConvertible {
    case badInput(String)
    case failed(String)

    var description: String {
        switch self {
        case .badInput(let message), .failed(let message): message
        }
    }
}

extension CLIError {
    /// An export's failure: bad input exits 2, a failed write 1.
    init(_ error: ExportError) {
        switch error {
        case .badInput(let m): self = .badInput("error: \(m)")
        case .failed(let m): self = .failed("error: \(m)")
        }
    }
}
