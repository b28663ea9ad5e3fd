import ArgumentParser
import Engine
import Export
import Foundation
import Results
import Study
import Training
import Zoo

extension StudyCtl {
    /// `studyctl latency`: batch-1 latency of trained cells, measured with warm-up and repeats.
    struct Latency: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure the batch-1 latency of a run's or a whole study's fused models on this machine.",
            discussion: """
                For each finished run (a run folder, or every run of a study folder): --warmup untimed runs, \
                then timed runs for at least --min-time seconds and 20 runs, on one seeded random image at \
                the run's image size. Prints the median, p90 and spread, and writes each run's latency.json \
                (runtime, machine, threads, median, p90, min, max), which the report and a study ranked by \
                latency read. A measurement of this machine: it never changes a result file.

                Examples:
                  studyctl latency output/quickstart --threads 1
                  studyctl latency output/quickstart/runs/ghostnet__pan-aspp__s0 --min-time 10
                """)

        @Argument(help: "A run folder, or a study's output folder.")
        var folder: String

        @Option(help: "Image size (default: each run's).")
        var imgsz: Int?

        @Option(help: "Untimed runs first.")
        var warmup: Int = 10

        @Option(help: "Seconds of timed runs, at least.")
        var minTime: Double = 5

        @OptionGroup var threads: ThreadsOption

        func validate() throws {
            guard warmup >= 0, warmup <= 10_000 else { throw ValidationError("--warmup must be from 0 to 10000, got \(warmup)") }
            guard minTime >= 0, minTime <= 3600 else { throw ValidationError("--min-time must be from 0 to 3600 seconds, got \(minTime)") }
            if let imgsz { do { try DetectorSpec.validate(imageSize: imgsz) } catch { throw ValidationError("--imgsz: \(error)") } }
        }

        func run() throws {
            threads.apply()
            let runs = try runFolders()
            func column(_ s: String) -> String { s.padding(toLength: max(44, s.count), withPad: " ", startingAt: 0) }
            print(column("run") + "    px    median       p90   min–max")
            for run in runs {
                guard let summary = try? ResultFiles.readJSON(RunSummary.self, from: run.summary) else { continue }
                let size = imgsz ?? summary.imageSize
                let (model, _): (Detector, [String])
                do { (model, _) = try WeightsExport.detector(run.bestWeights) } catch { throw CLIError.badInput("error: \(error)") }
                let m = Training.Latency.measure(model, imageSize: size, warmup: warmup, minRuns: 20, minSeconds: minTime)
                do { try ResultFiles.writeJSON(m, to: run.latency) } catch { throw CLIError.failed("error: \(error)") }
                print(column((run.path as NSString).lastPathComponent)
                      + String(format: "%6d %7.2fms %7.2fms   %.2f–%.2f ms (%d runs, %d threads)", size, m.medianMs, m.p90Ms, m.minMs,
                               m.maxMs, m.runs, m.threads))
            }
            print("Written to each run's latency.json (\(Machine.current().cpuModel)); `studyctl report` shows them.")
        }

        /// The finished runs of `folder`: itself when it is a run, else every run of the study.
        func runFolders() throws -> [RunLayout] {
            if FileManager.default.fileExists(atPath: RunLayout(folder).summary) { return [RunLayout(folder)] }
            let study = StudyLayout(folder)
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: study.runs)) ?? []).sorted().compactMap(RunName.init)
            let finished = names.map(study.run).filter { FileManager.default.fileExists(atPath: $0.summary) }
            guard !finished.isEmpty else {
                throw CLIError.badInput("error: \(folder): no finished run (a run folder with summary.json, or a study folder with runs/)")
            }
            return finished
        }
    }
}
