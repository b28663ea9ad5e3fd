import Results
import Training

/// What the study runner tells its listeners (the console, `studyctl status` reads the files).
public enum StudyEvent {
    case message(String)
    /// A line of where the study stands that replaces the previous one (on a terminal).
    case status(String)
    /// A cell starts: its place in the grid and the estimated time left for the study.
    case cellStarted(index: Int, total: Int, cell: Cell, etaSeconds: Double?)
    /// A cell is trained: its results, and its timings when measured.
    case cellFinished(index: Int, total: Int, cell: Cell, summary: RunSummary, timing: RunTiming?)
    case cellSkipped(index: Int, total: Int, cell: Cell)
    case finished(Recommendation)
}

/// Receives the study runner's events.
public protocol StudyListener: AnyObject {
    func handle(_ event: StudyEvent)
    /// The listeners of one cell's training (progress bar, log); called once per cell.
    func trainingListeners(for cell: Cell, folder: RunLayout) -> [TrainingListener]
}
