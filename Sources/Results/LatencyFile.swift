import Foundation

/// A run's latency.json: its batch-1 latency measurements, the first one the one the report and
/// a study ranked by latency use (the first of `studyctl latency --threads 1,2,4`).
///
/// A file of studyctl from before the list holds one measurement as the whole object.
public struct LatencyFile: Sendable, Equatable, Codable {
    public var measurements: [LatencyMeasurement]

    public init(_ measurements: [LatencyMeasurement]) { self.measurements = measurements }

    enum CodingKeys: String, CodingKey { case measurements }

    public init(from decoder: Decoder) throws {
        if let c = try? decoder.container(keyedBy: CodingKeys.self), c.contains(.measurements) {
            measurements = try c.decode([LatencyMeasurement].self, forKey: .measurements)
        } else {
            measurements = [try LatencyMeasurement(from: decoder)]
        }
    }
}

/// What a latency bundle's script writes on the device (`studyctl export STUDY --bundle`), and
/// `studyctl latency STUDY --from` reads back: each cell's measurements by its name
/// ("ghostnet__pan-aspp").
public struct BundleLatency: Sendable, Equatable, Codable {
    /// "studyctl-latency".
    public var format: String
    public var measurements: [String: [LatencyMeasurement]]

    public init(measurements: [String: [LatencyMeasurement]]) {
        (format, self.measurements) = ("studyctl-latency", measurements)
    }
}
