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

        @Option(help: "Train only this cell (<backbone>__<neck>__s<seed>), e.g. for one job of a cluster array.")
        var cell: String?

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
        }

        func run() throws {
            threads.apply()
            let jobs = self.jobs ?? (threads.threads >= 2 ? 2 : 1)
            let study: StudyFile
            do { study = try StudyFile.load(studyFile) } catch { throw CLIError.badInput("error: \(error)") }
            let text = (try? String(contentsOfFile: studyFile, encoding: .utf8)) ?? ""
            if dryRun { return try DryRun(study: study).print() }
            let folder = StudyLayout(output ?? "output/\(study.name)")
            do {
                try FileManager.default.createDirectory(atPath: folder.path, withIntermediateDirectories: true)
            } catch {
                throw CLIError.failed("error: \(folder.path): cannot create the folder: \(error.localizedDescription)")
            }
            let lock: FolderLock
            do { lock = try FolderLock(folder: folder.path) } catch { throw CLIError.badInput("error: \(error)") }
            defer { lock.release() }
            let progress = StudyProgress(logPath: folder.log, jobs: jobs)
            var command = "studyctl run \(studyFile)"
            if let output { command += " --output \(output)" }
            let runner = StudyRunner(study: study, text: text, studyFolder: (studyFile as NSString).deletingLastPathComponent,
                                     folder: folder, threads: threads.threads, jobs: jobs,
                                     command: command, listener: progress)
            progress.line("Study \(study.name): \(study.cells.count) cells (\(study.backbones.count) backbones × \(study.necks.count) necks × \(study.imageSizes.count) sizes × \(study.repeats) seeds), \(study.epochs) epochs each; \(threads.threads) threads, \(jobs) at a time; output \(folder.path)")
            let started = Date()
            let left = study.cells.filter { (cell == nil || $0.name == cell) && (fresh || !FileManager.default.fileExists(atPath: folder.run($0.runName).summary)) }
            if !left.isEmpty {
                let seconds = DryRun(study: study).estimate(left, jobs: jobs, threads: threads.threads)
                progress.line("Estimated time: \(clock(seconds)) for \(left.count) cell(s) to train (a step of each model measured now; data loading and validation add a little)")
            }
            installInterruptHandler()
            do {
                let recommendation = try runner.run(fresh: fresh, onlyCell: cell)
                progress.line("\nResults: \(folder.recommendation), manifest: \(folder.manifest)")
                try writeReport(study, folder: folder.path, progress: progress)
                progress.line("Wall time: \(clock(Date().timeIntervalSince(started)))")
                if recommendation.recommended == nil && cell == nil { throw ExitCode(1) }
            } catch let interrupted as TrainingInterrupted {
                progress.line("\nStopped in epoch \(interrupted.epoch) of the current cell; finished epochs and cells are saved. Run `\(command)` again to continue.")
                lock.release()
                Foundation.exit(130)
            } catch let error as StudyFileError {
                throw CLIError.badInput("error: \(error)")
            } catch let error as StudyRunFailure {
                throw CLIError.failed("error: \(error)")
            } catch let error as RunWriteFailure {
                throw CLIError.failed("error: \(error)")
            } catch let error as ResultFileError {
                throw CLIError.failed("error: \(error)")
            } catch let error as LockError {
                throw CLIError.badInput("error: \(error)")
            } catch let error as CheckpointError {
                throw CLIError.badInput("error: \(error)")
            }
        }
    }
}
