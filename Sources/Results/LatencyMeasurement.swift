/// latency.json: batch-1 inference time of a run's fused model, measured on one machine.
///
/// A measurement of that machine at that moment, not a result of the study: it enters a
/// recommendation only when the study ranks by latency, and the report then says so.
public struct LatencyMeasurement: Sendable, Equatable, Codable {
    /// What ran the model: "studyctl engine 0.1.0".
    public var runtime: String
    /// The CPU model, as /proc/cpuinfo names it.
    public var machine: String
    public var threads: Int
    public var imageSize: Int
    /// Untimed runs first, then timed ones.
    public var warmup: Int
    public var runs: Int
    /// Milliseconds over the timed runs.
    public var medianMs: Double
    public var p90Ms: Double
    public var minMs: Double
    public var maxMs: Double

    public init(runtime: String, machine: String, threads: Int, imageSize: Int, warmup: Int, times: [Double]) {
        let sorted = times.sorted()
        (self.runtime, self.machine, self.threads, self.imageSize, self.warmup, runs) =
            (runtime, machine, threads, imageSize, warmup, times.count)
        medianMs = sorted.isEmpty ? .nan : sorted[sorted.count / 2]
        p90Ms = sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int((0.9 * Double(sorted.count)).rounded(.up)) - 1)]
        (minMs, maxMs) = (sorted.first ?? .nan, sorted.last ?? .nan)
    }
}
