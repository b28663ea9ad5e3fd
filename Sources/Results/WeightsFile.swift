/// A weights file a run started from (published ImageNet weights or the user's own), named with its SHA-256 so a
/// manifest says exactly which bytes.
public struct WeightsFile: Sendable, Equatable, Codable {
    public let file: String
    public let sha256: String

    public init(file: String, sha256: String) { (self.file, self.sha256) = (file, sha256) }
}
