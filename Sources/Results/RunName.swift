/// A run folder's name under `runs/`: `<backbone>__<neck>[__<imgsz>]__s<seed>`, and the cell (the
/// name without the seed) that a recommendation compares — formatted and parsed here only.
public struct RunName: Sendable, Hashable, CustomStringConvertible {
    public var backbone: String
    public var neck: String
    /// Present when the study varies the image size.
    public var imageSize: Int?
    public var seed: UInt64

    public init(backbone: String, neck: String, imageSize: Int?, seed: UInt64) {
        (self.backbone, self.neck, self.imageSize, self.seed) = (backbone, neck, imageSize, seed)
    }

    /// `<backbone>__<neck>[__<imgsz>]`.
    public var cell: String { "\(backbone)__\(neck)" + (imageSize.map { "__\($0)" } ?? "") }
    public var description: String { "\(cell)__s\(seed)" }

    /// Parses a folder name; nil when it is not a run's.
    public init?(_ name: String) {
        let parts = name.components(separatedBy: "__")
        guard parts.count == 3 || parts.count == 4, let last = parts.last, last.hasPrefix("s"),
              let seed = UInt64(last.dropFirst()), !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        var size: Int?
        if parts.count == 4 {
            guard let s = Int(parts[2]) else { return nil }
            size = s
        }
        (backbone, neck, imageSize, self.seed) = (parts[0], parts[1], size, seed)
    }
}
