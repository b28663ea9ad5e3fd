/// A model choice that cannot be built: the message names the value and lists the valid ones.
public enum ZooError: Error, Equatable, CustomStringConvertible {
    case unknownBackbone(String, valid: [String])
    /// `written` is the value as the user wrote it (`mobilenetv1@0.3`).
    case unsupportedWidth(written: String, backbone: String, width: String, valid: [String])
    case unknownNeck(String, valid: [String])
    case invalidRates(String, reason: String)
    case invalidImageSize(Int)
    case invalidClassCount(Int)

    public var description: String {
        switch self {
        case let .unknownBackbone(name, valid):
            return "unknown backbone '\(name)'; valid backbones: \(valid.joined(separator: ", "))"
        case let .unsupportedWidth(written, backbone, width, valid):
            return "backbone '\(written)': \(backbone) has no width \(width); valid widths: \(valid.joined(separator: ", ")) (e.g. '\(backbone)@\(valid.last ?? "1")')"
        case let .unknownNeck(name, valid):
            return "unknown neck '\(name)'; valid necks: \(valid.joined(separator: ", "))"
        case let .invalidRates(text, reason):
            return "invalid ASPP rates '\(text)': \(reason); write them as pan-aspp@1,2,3"
        case let .invalidImageSize(size):
            return "image size \(size) is not a multiple of 32 (the largest stride) from 32 to \(DetectorSpec.maxImageSize); try \(min(DetectorSpec.maxImageSize, max(32, (size + 16) / 32 * 32)))"
        case let .invalidClassCount(nc):
            return "number of classes \(nc) must be from 1 to \(DetectorSpec.maxClasses)"
        }
    }
}
