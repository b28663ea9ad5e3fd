import ArgumentParser
import Foundation
import Results
import Study

extension StudyCtl {
    /// `studyctl status`: where a study stands.
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a study folder's cells: done, running (with epoch) and left, and the best so far.")

        @Argument(help: "The study's output folder (output/<study name>).")
        var folder: String

        func run() throws {
            let f = StudyLayout(folder)
            let study: StudyFile
            do { study = try StudyFile.load(f.studyCopy) } catch {
                throw CLIError.badInput("error: \(folder) is not a study folder (no readable study.toml): \(error)")
            }
            let manifest = ManifestStore(f).read()
            let cluster = ClusterView(f)
            var done = 0, running: [String] = [], left: [String] = [], failed: [String] = []
            for cell in study.cells {
                let run = f.run(cell.runName)
                if FileManager.default.fileExists(atPath: run.summary) {
                    done += 1
                    continue
                }
                let rows = (try? String(contentsOfFile: run.results, encoding: .utf8)).map { ResultsCSV.parseOrEmpty($0) } ?? []
                let epochs = rows.isEmpty ? "" : ", \(rows.count) of \(study.epochs) epochs done"
                let recorded = manifest?.cells.first { $0.name == cell.name }
                if let queued = cluster.queued(cell) {
                    let line = "\(cell.name): Slurm job \(queued.job)_\(queued.task) "
                    if queued.state == "RUNNING" {
                        running.append(line + "on \(queued.node)\(epochs)")
                    } else {
                        let reason = queued.reason == "None" || queued.reason.isEmpty ? "" : " (\(queued.reason))"
                        left.append(line + queued.state.lowercased() + reason + epochs)
                    }
                } else if recorded?.state == .failed {
                    failed.append("\(cell.name): \(recorded?.failure ?? "failed")")
                } else if recorded?.state == .running || FileManager.default.fileExists(atPath: run.lock) {
                    running.append("\(cell.name) (epoch \(rows.count + 1) of \(study.epochs))")
                } else {
                    left.append(rows.isEmpty ? cell.name : "\(cell.name)\(epochs), resumable")
                }
            }
            print("\(study.name): \(done) of \(study.cells.count) cells done, \(running.count) running, \(left.count) left, \(failed.count) failed")
            for r in running { print("  running  \(r)") }
            for l in left { print("  left     \(l)") }
            for x in failed { print("  failed   \(x)") }
            if let problem = cluster.problem { print("  (\(problem))") }
            let recommendation = StudyRunner.recommend(study, folder: f)
            if let best = recommendation.cells.first {
                print(String(format: "best so far: %@ (mAP50-95 %.4f, mAP50 %.4f)", best.name, best.map50to95.mean, best.map50.mean))
            }
            if let name = recommendation.recommended { print("recommended: \(name)") }
        }
    }
}

/// What Slurm says about a study's cells, when the study was submitted there and squeue answers.
struct ClusterView {
    let jobs: SlurmJobs
    let tasks: [SlurmClient.QueuedTask]
    /// Why the queue could not be read, when it could not.
    let problem: String?

    init(_ layout: StudyLayout) {
        jobs = SlurmJobs.read(layout)
        let client = SlurmClient()
        if jobs.submissions.isEmpty {
            (tasks, problem) = ([], nil)
        } else if client.which("squeue") == nil {
            (tasks, problem) = ([], "squeue not found: the cluster's view of the cells is not shown")
        } else {
            do { (tasks, problem) = (try client.queued(jobs.jobIDs), nil) } catch { (tasks, problem) = ([], "\(error)") }
        }
    }

    /// The cell's task if Slurm still has it queued or running.
    func queued(_ cell: Cell) -> SlurmClient.QueuedTask? {
        guard let t = jobs.task(of: cell.name) else { return nil }
        return tasks.first { $0.job == t.job && $0.task == t.task }
    }
}
