/// The accuracy a study ranks its cells by (study.toml `[select] metric`).
public enum Metric: String, Sendable, Codable, CaseIterable {
    case map50_95, map50, f1

    /// The name YOLOv5's output uses for it.
    public var title: String {
        switch self {
        case .map50_95: "mAP@0.5:0.95"
        case .map50: "mAP@0.5"
        case .f1: "F1"
        }
    }

    /// The metric over a cell's seeds.
    public func statistic(_ c: Recommendation.Cell) -> SeedStatistic {
        switch self {
        case .map50_95: c.map50to95
        case .map50: c.map50
        case .f1: c.f1
        }
    }
}
