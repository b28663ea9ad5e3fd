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
