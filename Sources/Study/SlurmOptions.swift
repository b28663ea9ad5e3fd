/// How the study's cells are submitted to Slurm: `sbatch` options, and whether to wait.
public struct SlurmOptions: Sendable {
    public var partition: String?
    public var cpusPerTask: Int
    /// `--mem` as Slurm reads it (e.g. "4G"); nil for the cluster's default.
    public var memory: String?
    /// `--time` as Slurm reads it (e.g. "2:00:00").
    public var time: String
    /// At most this many cells at once (`--array=…%K`); nil for no limit.
    public var arrayLimit: Int?
    public var account: String?
    public var qos: String?
    /// Passed to sbatch as they are, one `#SBATCH` line each.
    public var extraArguments: [String]
    /// Seconds before the time limit at which a cell is told to stop and requeue itself.
    public var signalLeadSeconds: Int
    /// The studyctl the nodes run, by absolute path.
    public var binary: String
    /// The study file the nodes read, by absolute path.
    public var studyFile: String

    public init(partition: String?, cpusPerTask: Int, memory: String?, time: String, arrayLimit: Int?, account: String?,
                qos: String?, extraArguments: [String], signalLeadSeconds: Int = 180, binary: String, studyFile: String) {
        (self.partition, self.cpusPerTask, self.memory, self.time, self.arrayLimit) = (partition, cpusPerTask, memory, time, arrayLimit)
        (self.account, self.qos, self.extraArguments, self.signalLeadSeconds) = (account, qos, extraArguments, signalLeadSeconds)
        (self.binary, self.studyFile) = (binary, studyFile)
    }

    /// The options every Slurm command of the study shares (the cluster's partition, account, QOS).
    public var placement: [String] {
        (partition.map { ["--partition=\($0)"] } ?? []) + (account.map { ["--account=\($0)"] } ?? []) + (qos.map { ["--qos=\($0)"] } ?? [])
    }
}
