import Engine

/// The necks of the zoo: `pan-sppf` (yolov5n's) and `pan-aspp` with optional dilation rates,
/// written `pan-aspp@1,2,3`.
public enum NeckSpec: Hashable, Sendable, CustomStringConvertible {
    case panSPPF
    case panASPP(rates: [Int])

    /// ASPP's default rates (1, 2, 3): at the study's 128–160 px images P5 is 4×4 to 5×5, and
    /// these rates span it as DeepLabv3's (6, 12, 18) span its 33×33 map (about 0.2, 0.4 and 0.6
    /// of the side). At 640 px (P5 20×20), `pan-aspp@4,8,12` keeps the same proportions.
    public static let defaultRates = [1, 2, 3]

    /// The neck names, for listings and error messages.
    public static let names = ["pan-sppf", "pan-aspp"]

    /// Every neck with its default settings.
    public static let all: [NeckSpec] = [.panSPPF, .panASPP(rates: defaultRates)]

    /// Parses `pan-sppf`, `pan-aspp` or `pan-aspp@r1,r2,…`; throws naming the value and the valid choices.
    public init(parsing text: String) throws(ZooError) {
        let parts = text.split(separator: "@", maxSplits: 1).map(String.init)
        switch parts.first {
        case "pan-sppf" where parts.count == 1:
            self = .panSPPF
        case "pan-aspp":
            guard parts.count == 2 else { self = .panASPP(rates: Self.defaultRates); return }
            let fields = parts[1].split(separator: ",", omittingEmptySubsequences: false)
            let rates = fields.compactMap { Int($0) }
            guard rates.count == fields.count, !rates.isEmpty else {
                throw .invalidRates(parts[1], reason: "expected comma-separated integers")
            }
            guard rates.allSatisfy({ $0 >= 1 }) else { throw .invalidRates(parts[1], reason: "every rate must be at least 1") }
            self = .panASPP(rates: rates)
        default:
            throw .unknownNeck(text, valid: Self.names.map { $0 == "pan-aspp" ? "pan-aspp[@r1,r2,r3]" : $0 })
        }
    }

    public var description: String {
        switch self {
        case .panSPPF: "pan-sppf"
        case .panASPP(let rates): rates == Self.defaultRates ? "pan-aspp" : "pan-aspp@" + rates.map(String.init).joined(separator: ",")
        }
    }

    /// Builds the neck for a backbone with P3/P4/P5 channels `inChannels`.
    public func makeNeck(inChannels: [Int], rng: inout Philox) -> PAN {
        let c5 = PAN.widths[2]
        switch self {
        case .panSPPF: return PAN(inChannels: inChannels, context: { SPPF(c5, c5, kernel: 5, rng: &$0) }, rng: &rng)
        case .panASPP(let rates): return PAN(inChannels: inChannels, context: { ASPP(c5, c5, rates: rates, rng: &$0) }, rng: &rng)
        }
    }
}
