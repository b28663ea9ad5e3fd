/// Where values of one axis land on the scene: a continuous scale or evenly spaced categories.
public enum Placement: Sendable, Equatable {
    case continuous(Scale)
    /// `count` categories across `range`, category 0 at `range.0`; a value i ± 0.5 spans category i.
    case category(count: Int, range: ClosedRange<Double>, reversed: Bool)

    /// The scene position of `value` (a number, or a category index).
    public func callAsFunction(_ value: Double) -> Double {
        switch self {
        case .continuous(let scale): return scale(value)
        case .category(let count, let range, let reversed):
            let band = (range.upperBound - range.lowerBound) / Double(max(1, count))
            let offset = (value + 0.5) * band
            return reversed ? range.upperBound - offset : range.lowerBound + offset
        }
    }

    /// The length one category takes (0 for a continuous scale).
    public var band: Double {
        if case .category(let count, let range, _) = self { return (range.upperBound - range.lowerBound) / Double(max(1, count)) }
        return 0
    }
}
