import Foundation
import Results

/// slurm/jobs.json: every array the study submitted, in order, with the cell of each task index —
/// how a later `run` or `status` finds a cell's job on the cluster.
public struct SlurmJobs: Codable, Sendable, Equatable {
    public struct Submission: Codable, Sendable, Equatable {
        public var job: String
        /// Task i trains cells[i].
        public var cells: [String]
        /// ISO 8601, UTC.
        public var submitted: String

        public init(job: String, cells: [String], submitted: String) { (self.job, self.cells, self.submitted) = (job, cells, submitted) }
    }

    public var submissions: [Submission] = []

    public init() {}

    public static func read(_ layout: StudyLayout) -> SlurmJobs {
        (try? ResultFiles.readJSON(SlurmJobs.self, from: layout.slurmJobs)) ?? SlurmJobs()
    }

    public func write(_ layout: StudyLayout) throws(ResultFileError) { try ResultFiles.writeJSON(self, to: layout.slurmJobs) }

    /// The latest task that trains `cell`: its job and index.
    public func task(of cell: String) -> (job: String, task: Int)? {
        for s in submissions.reversed() {
            if let i = s.cells.firstIndex(of: cell) { return (s.job, i) }
        }
        return nil
    }

    public var jobIDs: [String] { submissions.map(\.job) }
}
