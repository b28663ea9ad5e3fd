import Foundation

extension RunLayout {
    /// The run's timing.json, if written (runs from before it existed have none).
    public func readTiming() -> RunTiming? { try? ResultFiles.readJSON(RunTiming.self, from: timing) }

    /// The run's first latency measurement (the one reports and rankings use).
    public func readLatency() -> LatencyMeasurement? { readLatencies().first }

    /// The run's latency.json; for a run written before it existed, the median its summary.json held.
    public func readLatencies() -> [LatencyMeasurement] {
        if let file = try? ResultFiles.readJSON(LatencyFile.self, from: latency) { return file.measurements }
        guard let old = try? ResultFiles.readJSON(OlderSummary.self, from: summary), let ms = old.latencyMs else { return [] }
        return [LatencyMeasurement(runtime: "studyctl engine (summary.json of studyctl before latency.json)", machine: "unknown",
                                   threads: old.threads ?? 0, imageSize: old.imageSize, warmup: 3, times: [ms])]
    }

    /// Replaces the run's latency.json (through a temporary name).
    public func writeLatencies(_ measurements: [LatencyMeasurement]) throws(ResultFileError) {
        try ResultFiles.writeJSON(LatencyFile(measurements), to: latency)
    }

    /// The latency summary.json held before it moved to latency.json.
    struct OlderSummary: Decodable {
        var imageSize: Int
        var latencyMs: Double?, threads: Int?
    }
}
