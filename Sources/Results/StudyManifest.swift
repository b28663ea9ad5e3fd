/// manifest.json: what produced a study's numbers and how to produce them again.
public struct StudyManifest: Sendable, Equatable, Codable {
    public struct Cell: Sendable, Equatable, Codable {
        /// `<backbone>__<neck>__s<seed>` (the run folder's name under runs/).
        public var name: String
        public var backbone: String
        public var neck: String
        public var imageSize: Int
        public var seed: UInt64
        public var state: CellState
        public var wallSeconds: Double?
        /// Why a failed run failed, in one line with where its log is (e.g. "Slurm OUT_OF_MEMORY,
        /// exit 0:125; log slurm/<run>.out").
        public var failure: String?

        public init(name: String, backbone: String, neck: String, imageSize: Int, seed: UInt64, state: CellState,
                    wallSeconds: Double? = nil, failure: String? = nil) {
            (self.name, self.backbone, self.neck, self.imageSize, self.seed, self.state, self.wallSeconds) =
                (name, backbone, neck, imageSize, seed, state, wallSeconds)
            self.failure = failure
        }
    }

    public var study: String
    public var title: String
    public var description: String
    /// SHA-256 of the study file's bytes.
    public var studyHash: String
    public var datasetFingerprint: String
    public var datasetDescription: String
    public var version: String
    public var gitCommit: String
    public var swiftVersion: String
    public var cpu: String
    public var simd: [String]
    /// Threads per cell and cells at once (a local run's --threads and --jobs; on a cluster, the
    /// CPUs per task and the array limit, 0 for none).
    public var threads: Int
    public var jobs: Int
    /// Where the cells ran: "local", or "slurm" with the job ids; nil in manifests from before.
    public var executor: String?
    public var openblas: String
    public var onednn: String
    public var seeds: [UInt64]
    /// The report's language ("en" or "zh") and formats, as the study file asks; nil in manifests
    /// written before they were recorded (the report is then in English, in every format).
    public var language: String?
    public var formats: [String]?
    /// ISO 8601, UTC.
    public var started: String
    public var finished: String?
    public var cells: [Cell]
    /// The command that reproduces the study, from its folder's parent.
    public var command: String
    /// The published weights each backbone started from, by backbone; nil or absent: from scratch.
    public var pretrained: [String: WeightsFile]?

    public init(study: String, title: String, description: String, studyHash: String, datasetFingerprint: String,
                datasetDescription: String, version: String, gitCommit: String, swiftVersion: String, cpu: String,
                simd: [String], threads: Int, jobs: Int, executor: String?, openblas: String, onednn: String, seeds: [UInt64],
                language: String?, formats: [String]?, started: String, finished: String?, cells: [Cell], command: String) {
        (self.study, self.title, self.description, self.studyHash) = (study, title, description, studyHash)
        (self.datasetFingerprint, self.datasetDescription, self.version, self.gitCommit) =
            (datasetFingerprint, datasetDescription, version, gitCommit)
        (self.swiftVersion, self.cpu, self.simd, self.threads, self.jobs, self.executor) = (swiftVersion, cpu, simd, threads, jobs, executor)
        (self.language, self.formats) = (language, formats)
        (self.openblas, self.onednn, self.seeds, self.started, self.finished, self.cells, self.command) =
            (openblas, onednn, seeds, started, finished, cells, command)
    }
}
