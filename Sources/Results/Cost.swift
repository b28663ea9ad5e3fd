/// What a study divides accuracy by (study.toml `[select] cost`), each in its own unit.
public enum Cost: String, Sendable, Codable, CaseIterable {
    /// Million parameters.
    case params
    /// GFLOPs of one forward pass at the cell's image size (YOLOv5's convention).
    case gflops
    /// Milliseconds of batch-1 latency: a measurement of the machine, not of the model alone.
    case latency

    /// The unit `value` is in, in words.
    public var unit: String {
        switch self {
        case .params: "million parameters"
        case .gflops: "GFLOP"
        case .latency: "ms of batch-1 latency"
        }
    }

    /// A cell's cost in this unit; nil for latency when none was measured.
    public func value(parameters: Int, gflops: Double, latencyMs: Double?) -> Double? {
        switch self {
        case .params: Double(parameters) / 1e6
        case .gflops: gflops
        case .latency: latencyMs
        }
    }
}
