/// Where a study's cells are trained: in this process (`LocalExecutor`) or as a job array on a
/// cluster (`SlurmExecutor`). Another place to run cells is one more type.
public protocol CellExecutor {
    /// Trains `pending` until each is finished or has failed. Throws only when the study cannot go
    /// on (an interrupt, a refused submission); a cell that fails is recorded in the manifest.
    func execute(_ pending: [PendingCell], for runner: StudyRunner) throws
    /// False when `execute` returns while cells still train elsewhere (a cluster job not waited
    /// for): there is then nothing to recommend yet.
    var waitsForCells: Bool { get }
}

/// A cell left to train, with its place in the grid (1-based) for the console.
public struct PendingCell: Sendable {
    public var index: Int
    public var cell: Cell

    public init(index: Int, cell: Cell) { (self.index, self.cell) = (index, cell) }
}
