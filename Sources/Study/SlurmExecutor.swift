import Foundation
import Results
import Training

/// Trains the cells as a Slurm job array: writes slurm/array.sbatch (one task per unfinished
/// cell), submits it with `sbatch --parsable`, and — unless told not to wait — follows the tasks
/// until each has finished or failed, recording failures (Slurm state, exit code, log) in the
/// manifest. Cells an earlier submission still has in the queue are waited for, not submitted again.
public struct SlurmExecutor: CellExecutor {
    public let options: SlurmOptions
    public let wait: Bool
    /// Seconds between two looks at the queue.
    public let poll: Double
    let client = SlurmClient()

    public var waitsForCells: Bool { wait }

    public init(options: SlurmOptions, wait: Bool, poll: Double = 5) {
        (self.options, self.wait, self.poll) = (options, wait, poll)
    }

    public func execute(_ pending: [PendingCell], for runner: StudyRunner) throws {
        let layout = runner.folder
        do {
            try FileManager.default.createDirectory(atPath: layout.slurm, withIntermediateDirectories: true)
        } catch {
            throw StudyRunFailure("\(layout.slurm): cannot create the folder: \(error.localizedDescription)")
        }
        var jobs = SlurmJobs.read(layout)
        let queued = try client.queued(jobs.jobIDs)
        let inQueue = Set(pending.map(\.cell.name).filter { name in
            jobs.task(of: name).map { t in queued.contains { $0.job == t.job && $0.task == t.task } } ?? false
        })
        let submit = pending.filter { !inQueue.contains($0.cell.name) }
        if !inQueue.isEmpty {
            runner.listener.handle(.message("\(inQueue.count) cell(s) are still queued or running from an earlier submission; not submitting them again"))
        }
        if !submit.isEmpty {
            let names = submit.map(\.cell.name)
            let script = SlurmScript.text(study: runner.study.name, cells: names, layout: layout, options: options)
            do { try ResultFiles.writeAtomically(Data(script.utf8), to: layout.slurmScript) } catch { throw StudyRunFailure("\(error)") }
            let o = try client.run("sbatch", ["--parsable", layout.slurmScript])
            let job = o.out.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
            guard o.status == 0, !job.isEmpty, job.allSatisfy(\.isNumber) else {
                throw SlurmError("sbatch refused \(layout.slurmScript) (exit \(o.status)): \(SlurmClient.reason(o.err))")
            }
            jobs.submissions.append(.init(job: job, cells: names, submitted: ISO8601DateFormatter().string(from: Date())))
            do { try jobs.write(layout) } catch { throw StudyRunFailure("\(error)") }
            for item in submit { runner.setState(item.cell, .pending, wall: nil) }
            let limit = options.arrayLimit.map { ", at most \($0) at once" } ?? ""
            runner.listener.handle(.message(
                "Submitted Slurm job \(job): \(names.count) cell(s)\(limit), \(options.cpusPerTask) CPU(s) each, time limit \(options.time); script \(layout.slurmScript), logs \(layout.slurm)/<cell>.out"))
        }
        try? runner.manifest.update { $0?.executor = "slurm (jobs \(jobs.jobIDs.joined(separator: ", ")))" }
        guard wait else { return }
        try follow(pending.map(\.cell), jobs: jobs, runner: runner)
    }

    /// Looks at the queue and the cells' files until every cell has finished or failed.
    func follow(_ cells: [Cell], jobs: SlurmJobs, runner: StudyRunner) throws {
        let layout = runner.folder
        var final: [String: CellState] = [:]
        while true {
            if Trainer.interruptRequested { throw WaitInterrupted(jobs: jobs.jobIDs) }
            let queued = try client.queued(jobs.jobIDs)
            var running = 0, waiting = 0
            for cell in cells where final[cell.name] == nil {
                let run = layout.run(cell.runName)
                if FileManager.default.fileExists(atPath: run.summary) {
                    final[cell.name] = .done
                    runner.setState(cell, .done, wall: run.readTiming()?.wallSeconds)
                    continue
                }
                guard let task = jobs.task(of: cell.name) else { continue }
                if let q = queued.first(where: { $0.job == task.job && $0.task == task.task }) {
                    if q.state == "RUNNING" || q.state == "COMPLETING" { running += 1 } else { waiting += 1 }
                    continue
                }
                // Gone from the queue without summary.json: it failed. (summary.json is the last
                // file a task writes, so a look at it after the queue cannot miss a finished cell.)
                if FileManager.default.fileExists(atPath: run.summary) { continue }
                let end = client.ended(job: task.job, task: task.task)
                let log = layout.slurmLog(cell.runName)
                let why = end.map { "Slurm \($0.state), exit \($0.exitCode)" } ?? "Slurm job \(task.job)_\(task.task) ended (its state is no longer known)"
                final[cell.name] = .failed
                runner.setState(cell, .failed, wall: nil, failure: "\(why); log \(log)")
                runner.listener.handle(.message("cell \(cell.name) failed: \(why); log \(log)"))
            }
            let done = final.values.filter { $0 == .done }.count, failed = final.values.filter { $0 == .failed }.count
            runner.listener.handle(.status(
                "Slurm job \(jobs.jobIDs.last ?? "?"): \(done) done, \(running) running, \(waiting) pending, \(failed) failed of \(cells.count) cells"))
            if final.count == cells.count { return }
            Thread.sleep(forTimeInterval: poll)
        }
    }
}

/// Ctrl-C while waiting for the cluster: the jobs keep running there.
public struct WaitInterrupted: Error, CustomStringConvertible {
    public var jobs: [String]
    public var description: String { "stopped waiting; Slurm job(s) \(jobs.joined(separator: ", ")) keep running on the cluster" }
}
