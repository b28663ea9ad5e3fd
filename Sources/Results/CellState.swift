/// Where one run of a study stands, as manifest.json records it.
public enum CellState: String, Sendable, Codable, CaseIterable {
    /// Not started, or stopped between epochs and resumable.
    case pending
    case running
    /// summary.json is written.
    case done
    /// Training stopped with an error; the console and the run's train.log say which.
    case failed
}
