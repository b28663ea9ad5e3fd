import ArgumentParser
import Foundation
import Study

/// `studyctl run --executor slurm` and its sbatch options.
struct SlurmOptionGroup: ParsableArguments {
    @Option(help: ArgumentHelp("Where the cells train: local (this process) or slurm (a job array, one task per unfinished cell).",
                               valueName: "local|slurm"))
    var executor: ExecutorChoice = .local

    @Option(help: "Slurm partition (default: the cluster's default).")
    var partition: String?

    @Option(help: "CPUs per cell (default: --threads, the threads one cell uses here).")
    var cpusPerTask: Int?

    @Option(help: "Memory per cell as sbatch reads it, e.g. 4G (default: the cluster's).")
    var mem: String?

    @Option(help: "Time limit per cell as sbatch reads it, e.g. 2:00:00 (default: twice the measured estimate of the slowest cell, plus 15 minutes).")
    var time: String?

    @Option(help: "At most this many cells at once (--array=…%K).")
    var arrayLimit: Int?

    @Option(help: "Slurm account to charge.")
    var account: String?

    @Option(help: "Slurm quality of service.")
    var qos: String?

    @Option(help: ArgumentHelp("Any other sbatch option, passed through (repeatable), e.g. --sbatch-arg=--exclusive.", valueName: "arg"))
    var sbatchArg: [String] = []

    @Flag(help: "Submit and return with the job id instead of waiting for the cells.")
    var noWait = false

    @Flag(help: "Before submitting, check through a one-minute srun that a node can write the output folder, read the dataset and run this studyctl (`studyctl doctor`).")
    var checkShared = false

    enum ExecutorChoice: String, ExpressibleByArgument, CaseIterable { case local, slurm }

    func validate() throws {
        if let cpusPerTask, cpusPerTask < 1 || cpusPerTask > 1024 { throw ValidationError("--cpus-per-task must be from 1 to 1024, got \(cpusPerTask)") }
        if let arrayLimit, arrayLimit < 1 { throw ValidationError("--array-limit must be 1 or more, got \(arrayLimit)") }
        let slurmOnly = [partition, mem, time, account, qos].contains { $0 != nil } || cpusPerTask != nil || arrayLimit != nil
            || !sbatchArg.isEmpty || noWait || checkShared
        if executor == .local && slurmOnly {
            throw ValidationError("--partition, --cpus-per-task, --mem, --time, --array-limit, --account, --qos, --sbatch-arg, --no-wait and --check-shared need --executor slurm")
        }
        for (name, value) in [("--partition", partition), ("--mem", mem), ("--time", time), ("--account", account), ("--qos", qos)] {
            if let value, value.isEmpty || value.contains(where: { $0.isWhitespace || $0 == "'" || $0 == "\"" }) {
                throw ValidationError("\(name) '\(value)': expected one word without spaces or quotes")
            }
        }
        for arg in sbatchArg where !arg.hasPrefix("--") || arg.contains(where: \.isNewline) {
            throw ValidationError("--sbatch-arg '\(arg)': expected one long sbatch option such as --exclusive or --constraint=avx512")
        }
    }
}
