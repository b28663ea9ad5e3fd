import Foundation

extension RunLayout {
    /// The run's timing.json, if written (runs from before it existed have none).
    public func readTiming() -> RunTiming? { try? ResultFiles.readJSON(RunTiming.self, from: timing) }

    /// The run's latency.json; for a run written before it existed, the median its summary.json held.
    public func readLatency() -> LatencyMeasurement? {
        if let latency = try? ResultFiles.readJSON(LatencyMeasurement.self, from: latency) { return latency }
        guard let old = try? ResultFiles.readJSON(OlderSummary.self, from: summary), let ms = old.latencyMs else { return nil }
        return LatencyMeasurement(runtime: "studyctl engine (summary.json of studyctl before latency.json)", machine: "unknown",
                                  threads: old.threads ?? 0, imageSize: old.imageSize, warmup: 3, times: [ms])
    }

    /// The latency summary.json held before it moved to latency.json.
    struct OlderSummary: Decodable {
        var imageSize: Int
        var latencyMs: Double?, threads: Int?
    }
}
