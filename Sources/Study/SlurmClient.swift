import Foundation

/// The Slurm commands studyctl calls (sbatch, squeue, scontrol, srun), each run as a process with
/// its arguments as they are — never through a shell.
public struct SlurmClient: Sendable {
    public init() {}

    /// What a command printed and how it ended.
    public struct Output: Sendable {
        public var status: Int32
        public var out: String
        public var err: String
    }

    /// The absolute path of `tool` on PATH, or nil.
    public func which(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/\(tool)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Runs `tool` with `arguments`; throws only when it cannot be started.
    public func run(_ tool: String, _ arguments: [String]) throws(SlurmError) -> Output {
        guard let executable = which(tool) else { throw SlurmError("\(tool) not found on PATH") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        (process.standardOutput, process.standardError) = (out, err)
        do { try process.run() } catch { throw SlurmError("\(tool): cannot start: \(error.localizedDescription)") }
        // Read both pipes to the end before waiting, so a long output cannot fill a pipe and stall.
        nonisolated(unsafe) var errData = Data()
        let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        return Output(status: process.terminationStatus, out: String(decoding: outData, as: UTF8.self),
                      err: String(decoding: errData, as: UTF8.self))
    }

    /// Where one array task stands while Slurm still lists it.
    public struct QueuedTask: Sendable, Equatable {
        public var job: String
        public var task: Int
        /// PENDING, RUNNING, COMPLETING, REQUEUED, …
        public var state: String
        public var node: String
        public var reason: String
    }

    /// The line of a command's error output that says what went wrong: its last (Slurm's tools end
    /// with the fatal one).
    public static func reason(_ err: String) -> String {
        err.split(whereSeparator: \.isNewline).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    }

    /// Every task of `jobs` that squeue lists (pending, running, completing, requeued).
    public func queued(_ jobs: [String]) throws(SlurmError) -> [QueuedTask] {
        guard !jobs.isEmpty else { return [] }
        let o = try run("squeue", ["-h", "-r", "-j", jobs.joined(separator: ","), "-o", "%F|%K|%T|%N|%r"])
        // A job Slurm has forgotten makes squeue fail with "Invalid job id": it lists none of it.
        guard o.status == 0 || o.err.contains("Invalid job id") else {
            throw SlurmError("squeue failed (exit \(o.status)): \(Self.reason(o.err))")
        }
        return o.out.split(whereSeparator: \.isNewline).compactMap { line in
            let f = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 5, let task = Int(f[1]) else { return nil }
            return QueuedTask(job: f[0], task: task, state: f[2], node: f[3], reason: f[4])
        }
    }

    /// How a task that left the queue ended: its state and exit code ("exit:signal"), from
    /// `scontrol show job` (Slurm keeps finished jobs for MinJobAge), else `sacct`; nil when
    /// neither still knows.
    public func ended(job: String, task: Int) -> (state: String, exitCode: String)? {
        if let o = try? run("scontrol", ["-o", "show", "job", "\(job)_\(task)"]), o.status == 0 {
            var fields: [String: String] = [:]
            for word in o.out.split(whereSeparator: { $0 == " " || $0.isNewline }) {
                let kv = word.split(separator: "=", maxSplits: 1).map(String.init)
                if kv.count == 2 { fields[kv[0]] = kv[1] }
            }
            if let state = fields["JobState"] { return (state, fields["ExitCode"] ?? "?") }
        }
        if let o = try? run("sacct", ["-n", "-P", "-X", "-j", "\(job)_\(task)", "-o", "State,ExitCode"]), o.status == 0,
           let line = o.out.split(whereSeparator: \.isNewline).first {
            let f = line.split(separator: "|").map(String.init)
            if f.count == 2 { return (f[0], f[1]) }
        }
        return nil
    }
}

/// A Slurm command that could not be run or refused the study.
public struct SlurmError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
