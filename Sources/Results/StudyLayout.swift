/// Every file and folder of a study's output folder, `output/<study>/`.
///
/// ```
/// DIR/study.toml            the study file, verbatim: what `studyctl report` and a rerun read
/// DIR/manifest.json         the code, machine, data and command behind the numbers; each run's state
/// DIR/recommendation.json   the decision, written when the cells are finished
/// DIR/dataset/              the built-in dataset, when the study uses it
/// DIR/runs/<run name>/      one training run per cell and seed (RunLayout)
/// DIR/slurm/               on a cluster: array.sbatch, jobs.json, <run name>.out (each task's log)
/// DIR/charts/  report.html  report.pdf  study.log
/// ```
public struct StudyLayout: Sendable, Hashable {
    public let path: String

    public init(_ path: String) { self.path = path }

    public var studyCopy: String { path + "/study.toml" }
    public var manifest: String { path + "/manifest.json" }
    public var recommendation: String { path + "/recommendation.json" }
    public var dataset: String { path + "/dataset" }
    public var runs: String { path + "/runs" }
    public var charts: String { path + "/charts" }
    public var html: String { path + "/report.html" }
    public var pdf: String { path + "/report.pdf" }
    public var log: String { path + "/study.log" }
    public var slurm: String { path + "/slurm" }
    public var slurmScript: String { slurm + "/array.sbatch" }
    public var slurmJobs: String { slurm + "/jobs.json" }
    /// A cell's log on the cluster.
    public func slurmLog(_ name: RunName) -> String { slurm + "/\(name).out" }

    public func run(_ name: RunName) -> RunLayout { RunLayout(runs + "/" + name.description) }

    /// What `--fresh` deletes: everything a study writes.
    public var written: [String] { [runs, dataset, studyCopy, manifest, recommendation, charts, html, pdf, slurm] }
}
