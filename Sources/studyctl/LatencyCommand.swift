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
            abstract: "Measure the batch-1 latency of a run's or a whole study's fused models, in the engine or ONNX Runtime.",
            discussion: """
                For each finished run (a run folder, or every run of a study folder) and each --threads count: \
                --warmup untimed runs, then timed runs for at least --min-time seconds and 20 runs, on one seeded \
                random image at the run's image size. Prints the median, p90 and spread, and writes each run's \
                latency.json (runtime and version, machine, threads, median, p90, min, max; the first --threads \
                count first), which the report and a study ranked by latency read. A measurement of a machine: \
                it never changes a result file.

                --runtime onnxruntime times each cell's ONNX model in ONNX Runtime through the latency bundle's \
                script (`studyctl export STUDY_DIR --bundle`), run by --python (a Python with onnxruntime and \
                numpy). --from FILE takes the latency.json that script wrote on a device instead of measuring here.

                Examples:
                  studyctl latency output/quickstart --threads 1,2
                  studyctl latency output/quickstart --runtime onnxruntime --python ~/venv/bin/python
                  studyctl latency output/quickstart --from bundle/latency.json
                """)

        @Argument(help: "A run folder, or a study's output folder.")
        var folder: String

        @Option(help: "engine (studyctl's own) or onnxruntime (the exported model, through Python).")
        var runtime: String = "engine"

        @Option(help: "Thread counts, comma-separated (default: all cores).")
        var threads: String = "\(ThreadPool.defaultThreadCount)"

        @Option(help: "Image size (default: each run's).")
        var imgsz: Int?

        @Option(help: "Untimed runs first.")
        var warmup: Int = 10

        @Option(help: "Seconds of timed runs, at least.")
        var minTime: Double = 5

        @Option(help: "The Python that runs ONNX Runtime (--runtime onnxruntime).")
        var python: String = "python3"

        @Option(name: .customLong("from"), help: "A latency bundle's latency.json measured on a device: written into the runs, nothing measured.")
        var from: String?

        var threadCounts: [Int] { threads.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

        func validate() throws {
            guard ["engine", "onnxruntime"].contains(runtime) else { throw ValidationError("--runtime must be engine or onnxruntime, got '\(runtime)'") }
            let counts = threadCounts
            guard !counts.isEmpty, counts.count == threads.split(separator: ",").count, counts.allSatisfy({ (1...256).contains($0) }) else {
                throw ValidationError("--threads must be thread counts from 1 to 256, comma-separated (1,2,4), got '\(threads)'")
            }
            guard warmup >= 0, warmup <= 10_000 else { throw ValidationError("--warmup must be from 0 to 10000, got \(warmup)") }
            guard minTime >= 0, minTime <= 3600 else { throw ValidationError("--min-time must be from 0 to 3600 seconds, got \(minTime)") }
            if let imgsz { do { try DetectorSpec.validate(imageSize: imgsz) } catch { throw ValidationError("--imgsz: \(error)") } }
        }

        func run() throws {
            let runs = try FinishedRuns.of(folder)
            let measured: [String: [LatencyMeasurement]]
            if let from {
                measured = try DeviceLatency.read(from)
            } else if runtime == "onnxruntime" {
                measured = try DeviceLatency.onnxRuntime(runs, imgsz: imgsz, python: python, threads: threads, warmup: warmup, minTime: minTime)
            } else {
                measured = try engine(runs)
            }
            try DeviceLatency.write(measured, into: runs, study: folder, echo: from != nil)
        }

        /// Each run in the engine at each thread count, printed as it goes; keyed by run folder name.
        func engine(_ runs: [RunLayout]) throws -> [String: [LatencyMeasurement]] {
            print(DeviceLatency.column("run") + "    px  threads   median       p90   min–max")
            var all: [String: [LatencyMeasurement]] = [:]
            for run in runs {
                guard let summary = try? ResultFiles.readJSON(RunSummary.self, from: run.summary) else { continue }
                let model: Detector
                do { (model, _) = try WeightsExport.detector(run.bestWeights) } catch { throw CLIError.badInput("error: \(error)") }
                let name = (run.path as NSString).lastPathComponent
                for count in threadCounts {
                    ThreadPool.configure(threads: count)
                    let m = Training.Latency.measure(model, imageSize: imgsz ?? summary.imageSize, warmup: warmup, minRuns: 20, minSeconds: minTime)
                    all[name, default: []].append(m)
                    DeviceLatency.show(name, m)
                }
            }
            return all
        }
    }
}
