import ArgumentParser
import Engine
import Foundation
import Report
import Results
import Study
import Training
import Zoo

extension StudyCtl {
    /// `studyctl run`: the product's main command.
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a study: train every backbone × neck cell of STUDY.toml and recommend one.",
            discussion: """
                Trains each cell of the study's grid (backbone × neck × image size × seed) with YOLOv5 \
                v7.0's recipe into OUTPUT/runs/<backbone>__<neck>__s<seed>/ (see `studyctl train --help` for \
                the files of a run), then writes OUTPUT/recommendation.json: the Pareto front of accuracy \
                against cost and, among the cells within [recommend] tolerance of the best, the one with the \
                highest accuracy per unit of cost, with a statement of which leaders are within seed noise. \
                OUTPUT/manifest.json records the study-file hash, dataset fingerprint, code, machine, \
                threads and the command that reproduces the numbers.

                Resuming is the default: finished cells are skipped and an interrupted cell continues \
                from its checkpoint, ending with the same files as an uninterrupted run. A folder whose \
                finished runs used other data or another [train] recipe is refused unless --fresh; more \
                backbones, necks or seeds, another title, [recommend] rule or [report] setting reuse what \
                is done. Ctrl-C stops cleanly (exit 130): run \
                the same command to continue. A study file with an unknown key, a wrong type, an \
                out-of-range value, an unknown backbone or neck, or a missing dataset exits 2 naming the \
                file, line and key.

                Examples:
                  studyctl run studies/quickstart.toml
                  studyctl run studies/seed-replication.toml --dry-run
                  studyctl run my-study.toml --cell ghostnet__pan-aspp__s0
                """
        )

        @Argument(help: "The study file (TOML): [study], [data], [train], [grid], [recommend], [report].")
        var studyFile: String

        @Option(help: "Output folder (default: output/<study name>).")
        var output: String?

        @OptionGroup var threads: ThreadsOption

        @Option(help: ArgumentHelp(
            "Cells trained at once, the threads split between them (default: 2 when there are 2 threads or more, else 1). Results are identical either way.",
            discussion: "Measured on a 2-core machine: two cells at once on one thread each finish a grid ~16 % sooner than one cell on two threads."))
        var jobs: Int?

        @Flag(help: "Delete the output folder's previous results first (also when the study file changed).")
        var fresh = false

        @Flag(help: "List every cell with its parameters, GFLOPs and an estimated time from a short measured step; train nothing.")
        var dryRun = false

        @Option(help: "Train only this cell (<backbone>__<neck>__s<seed>), as each task of a cluster array does: no lock on the study folder and no recommendation (run without --cell, or `studyctl report`, once the cells are done).")
        var cell: String?

        @OptionGroup(title: "Cluster") var slurm: SlurmOptionGroup

        /// Renders the formats of `[report]` and prints where they are.
        func writeReport(_ study: StudyFile, folder: String, progress: StudyProgress) throws {
            guard !study.formats.isEmpty else { return }
            let outputs = StudyReport.Outputs(html: study.formats.contains("html"), pdf: study.formats.contains("pdf"),
                                              png: study.formats.contains("png"))
            let started = Date()
            do {
                let paths = try StudyReport(path: folder).write(outputs)
                for path in paths where !path.contains("/charts/") { progress.line("Report: \(path)") }
                progress.line(String(format: "Charts: %d files in %@/charts (rendered in %.1f s)", paths.filter { $0.contains("/charts/") }.count,
                                     folder, Date().timeIntervalSince(started)))
            } catch {
                throw CLIError.failed("error: the study finished but its report could not be written: \(error)")
            }
        }

        func validate() throws {
            if let jobs, jobs < 1 || jobs > 64 { throw ValidationError("--jobs must be from 1 to 64, got \(jobs)") }
            if cell != nil && (fresh || slurm.executor == .slurm) { throw ValidationError("--cell trains one cell here: it takes neither --fresh nor --executor slurm") }
            if jobs != nil && slurm.executor == .slurm { throw ValidationError("--jobs is for local runs; on Slurm, --array-limit caps the cells at once") }
        }

        func run() throws {
            threads.apply()
            let study: StudyFile
            do { study = try StudyFile.load(studyFile) } catch { throw CLIError.badInput("error: \(error)") }
            let text = (try? String(contentsOfFile: studyFile, encoding: .utf8)) ?? ""
            if dryRun { return try DryRun(study: study).print() }
            let folder = StudyLayout(absolute(output ?? "output/\(study.name)"))
            if slurm.executor == .slurm && SlurmClient().which("sbatch") == nil {
                throw CLIError.badInput("error: --executor slurm: sbatch not found on PATH; run on a Slurm login node (Debian: apt-get install slurm-client)")
            }
            do {
                try FileManager.default.createDirectory(atPath: folder.path, withIntermediateDirectories: true)
            } catch {
                throw CLIError.failed("error: \(folder.path): cannot create the folder: \(error.localizedDescription)")
            }
            var command = "studyctl run \(studyFile)"
            if let output { command += " --output \(output)" }
            let jobs = slurm.executor == .slurm ? (slurm.arrayLimit ?? 0) : (self.jobs ?? (threads.threads >= 2 ? 2 : 1))
            // A cell of an array logs to its train.log (and its task's output), not to study.log,
            // which the process that waits for the array writes.
            let progress = StudyProgress(logPath: cell == nil ? folder.log : nil, jobs: slurm.executor == .slurm ? 1 : jobs)
            let runner = StudyRunner(study: study, text: text, studyFolder: (studyFile as NSString).deletingLastPathComponent,
                                     folder: folder, threads: threads.threads, jobs: jobs, command: command, listener: progress)
            installInterruptHandler()
            do {
                if let cell { return try runOne(cell, runner: runner, progress: progress) }
                let lock: FolderLock
                do { lock = try FolderLock(folder: folder.path) } catch { throw CLIError.badInput("error: \(error)") }
                defer { lock.release() }
                let executor: CellExecutor = try slurm.executor == .slurm
                    ? slurmExecutor(study, folder: folder, progress: progress)
                    : LocalExecutor(threads: threads.threads, jobs: jobs)
                let place = slurm.executor == .slurm ? "on Slurm" : "\(threads.threads) threads, \(jobs) at a time"
                progress.line("Study \(study.name): \(study.cells.count) cells (\(study.backbones.count) backbones × \(study.necks.count) necks × \(study.imageSizes.count) sizes × \(study.repeats) seeds), \(study.epochs) epochs each; \(place); output \(folder.path)")
                let started = Date()
                let left = study.cells.filter { fresh || !FileManager.default.fileExists(atPath: folder.run($0.runName).summary) }
                if !left.isEmpty && slurm.executor == .local {
                    let seconds = DryRun(study: study).estimate(left, jobs: jobs, threads: threads.threads)
                    progress.line("Estimated time: \(clock(seconds)) for \(left.count) cell(s) to train (a step of each model measured now; data loading and validation add a little)")
                }
                guard let recommendation = try runner.run(fresh: fresh, executor: executor, executorName: slurm.executor.rawValue) else {
                    progress.line("\nThe cells train on the cluster. `studyctl status \(folder.path)` shows where they stand; run `\(command) --executor slurm` again to wait for them and write the recommendation and report (nothing is submitted twice).")
                    return
                }
                progress.line("\nResults: \(folder.recommendation), manifest: \(folder.manifest)")
                try writeReport(study, folder: folder.path, progress: progress)
                progress.line("Wall time: \(clock(Date().timeIntervalSince(started)))")
                if recommendation.recommended == nil {
                    failedCells(folder, progress: progress)
                    throw ExitCode(1)
                }
            } catch let interrupted as TrainingInterrupted {
                progress.line("\nThe current cell \(interrupted.place); finished cells are saved. Run `\(command)` again to continue.")
                Foundation.exit(interruptExitCode())
            } catch let waiting as WaitInterrupted {
                progress.line("\n\(waiting). `studyctl status \(folder.path)` shows where they stand; run `\(command) --executor slurm` again to wait for them.")
                Foundation.exit(interruptExitCode())
            } catch let error as StudyFileError {
                throw CLIError.badInput("error: \(error)")
            } catch let error as LockError {
                throw CLIError.badInput("error: \(error)")
            } catch let error as CheckpointError {
                throw CLIError.badInput("error: \(error)")
            } catch let error as SlurmError {
                throw CLIError.failed("error: \(error)")
            } catch let error as StudyRunFailure {
                throw CLIError.failed("error: \(error)")
            } catch let error as RunWriteFailure {
                throw CLIError.failed("error: \(error)")
            } catch let error as ResultFileError {
                throw CLIError.failed("error: \(error)")
            }
        }

        /// One cell, as a task of a cluster array runs it.
        func runOne(_ cell: String, runner: StudyRunner, progress: StudyProgress) throws {
            _ = try runner.runOne(cell)
            progress.line("Cell \(cell) is done. The recommendation and report are written by `studyctl run \(studyFile)` without --cell once every cell is done.")
        }

        /// The Slurm executor, after the checks a submission needs (each a bad-input error).
        func slurmExecutor(_ study: StudyFile, folder: StudyLayout, progress: StudyProgress) throws -> SlurmExecutor {
            let client = SlurmClient()
            let binary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? absolute(CommandLine.arguments[0])
            let cpus = slurm.cpusPerTask ?? threads.threads
            let time = slurm.time ?? slurmTime(study, cpus: cpus, folder: folder)
            let options = SlurmOptions(partition: slurm.partition, cpusPerTask: cpus, memory: slurm.mem, time: time, arrayLimit: slurm.arrayLimit,
                                       account: slurm.account, qos: slurm.qos, extraArguments: slurm.sbatchArg, binary: binary,
                                       studyFile: absolute(studyFile))
            if slurm.checkShared { try SharedCheck(options: options, folder: folder, study: study, client: client).run(progress: progress) }
            return SlurmExecutor(options: options, wait: !slurm.noWait, poll: slurmPoll())
        }

        /// The default time limit: twice the slowest unfinished cell's measured estimate on the
        /// task's CPUs, plus 15 minutes, in whole minutes.
        func slurmTime(_ study: StudyFile, cpus: Int, folder: StudyLayout) -> String {
            let left = study.cells.filter { fresh || !FileManager.default.fileExists(atPath: folder.run($0.runName).summary) }
            let dry = DryRun(study: study)
            var seen = Set<String>(), slowest = 0.0
            for cell in left where seen.insert("\(cell.backbone)__\(cell.neck)__\(cell.imageSize)").inserted {
                slowest = max(slowest, dry.estimate([cell], jobs: 1, threads: cpus))
            }
            let minutes = Int((2 * slowest / 60).rounded(.up)) + 15
            return String(format: "%d:%02d:00", minutes / 60, minutes % 60)
        }

        /// Seconds between looks at the queue: STUDYCTL_SLURM_POLL (tests), else 10.
        func slurmPoll() -> Double {
            ProcessInfo.processInfo.environment["STUDYCTL_SLURM_POLL"].flatMap(Double.init).map { max(0.2, $0) } ?? 10
        }

        /// The failed runs, each with why and where its log is.
        func failedCells(_ folder: StudyLayout, progress: StudyProgress) {
            let failed = ManifestStore(folder).read()?.cells.filter { $0.state == .failed } ?? []
            guard !failed.isEmpty else { return }
            progress.line("\(failed.count) cell(s) failed, so there is no recommendation:")
            for c in failed { progress.line("  \(c.name): \(c.failure ?? "see its train.log")") }
        }
    }
}

/// `path` made absolute against the working directory.
func absolute(_ path: String) -> String {
    path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
}
