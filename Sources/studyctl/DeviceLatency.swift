import Export
import Foundation
import Results
import Study

/// Latency measured outside the engine — in ONNX Runtime through a latency bundle's script, here
/// or on a device — and written into the runs' latency.json (`studyctl latency`).
enum DeviceLatency {
    /// A latency bundle's latency.json, by cell name.
    static func read(_ file: String) throws -> [String: [LatencyMeasurement]] {
        let bundle: BundleLatency
        do { bundle = try ResultFiles.readJSON(BundleLatency.self, from: file) } catch {
            throw CLIError.badInput("error: \(file): not the latency.json of a latency bundle's script (\(error))")
        }
        guard bundle.format == "studyctl-latency" else {
            throw CLIError.badInput("error: \(file): format is '\(bundle.format)', expected 'studyctl-latency'")
        }
        for (cell, ms) in bundle.measurements {
            if let bad = ms.first(where: { !($0.medianMs.isFinite && $0.medianMs > 0 && $0.threads >= 1 && $0.runs >= 1) }) {
                throw CLIError.badInput("error: \(file): \(cell): a measurement that is not one (median \(bad.medianMs) ms, \(bad.threads) threads, \(bad.runs) runs)")
            }
        }
        return bundle.measurements
    }

    /// Each cell's ONNX model timed in ONNX Runtime on this machine: a latency bundle made in a
    /// temporary folder, its latency.py run by `python`, its answer read back.
    static func onnxRuntime(_ runs: [RunLayout], imgsz: Int?, python: String, threads: String, warmup: Int,
                            minTime: Double) throws -> [String: [LatencyMeasurement]] {
        guard Subprocess.succeeds(python, ["-c", "import onnxruntime, numpy"]) else {
            throw CLIError.badInput("error: --runtime onnxruntime: '\(python)' cannot import onnxruntime and numpy "
                                    + "(pip install onnxruntime numpy, or name a Python that has them with --python)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("studyctl-latency-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do { _ = try LatencyBundle.write(sources(runs, imgsz: imgsz), study: "latency", to: folder) } catch { throw CLIError(error) }
        let out = folder + "/latency.json"
        let args = [folder + "/latency.py", "--threads", threads, "--warmup", "\(warmup)", "--min-time", "\(minTime)", "--out", out]
        guard Subprocess.succeeds(python, args, inheritOutput: true) else {
            throw CLIError.failed("error: \(python) \(folder)/latency.py failed (its output is above)")
        }
        return try read(out)
    }

    /// One model per cell: the first finished run's weights, its best.onnx when at the wanted size.
    static func sources(_ runs: [RunLayout], imgsz: Int?) -> [LatencyBundle.Source] {
        var seen = Set<String>()
        return runs.compactMap { run in
            let cell = FinishedRuns.cell(run)
            guard let summary = try? ResultFiles.readJSON(RunSummary.self, from: run.summary), seen.insert(cell).inserted else { return nil }
            let size = imgsz ?? summary.imageSize
            let onnx = size == summary.imageSize && FileManager.default.fileExists(atPath: run.bestONNX) ? run.bestONNX : nil
            return .init(name: cell, run: (run.path as NSString).lastPathComponent, weights: run.bestWeights, onnx: onnx, imageSize: size)
        }
    }

    /// Writes each run's measurements (keyed by its folder name, or by its cell for a bundle's) into
    /// its latency.json; re-ranks a study that ranks by latency.
    static func write(_ measured: [String: [LatencyMeasurement]], into runs: [RunLayout], study folder: String, echo: Bool) throws {
        var written = 0, first: LatencyMeasurement?
        for run in runs {
            let name = (run.path as NSString).lastPathComponent
            guard let ms = measured[name] ?? measured[FinishedRuns.cell(run)], !ms.isEmpty else { continue }
            do { try run.writeLatencies(ms) } catch { throw CLIError.failed("error: \(error)") }
            if echo { for m in ms { show(name, m) } }
            written += 1
            first = first ?? ms[0]
        }
        guard let first else {
            throw CLIError.badInput("error: no measurement names a run of \(folder) (cells measured: \(measured.keys.sorted().joined(separator: ", ")))")
        }
        print("Written \(written) runs' latency.json (\(first.runtime) on \(first.machine)); `studyctl report \(folder)` shows them.")
        let layout = StudyLayout(folder)
        if let study = try? StudyFile.load(layout.studyCopy), study.cost == .latency {
            do { try ResultFiles.writeJSON(StudyRunner.recommend(study, folder: layout), to: layout.recommendation) } catch {
                throw CLIError.failed("error: \(error)")
            }
            print("The study ranks by latency: recommendation.json re-ranked by these measurements.")
        }
    }

    static func column(_ s: String) -> String { s.padding(toLength: max(44, s.count), withPad: " ", startingAt: 0) }

    static func show(_ name: String, _ m: LatencyMeasurement) {
        print(column(name) + String(format: "%6d %8d %7.2fms %7.2fms   %.2f–%.2f ms (%d runs)", m.imageSize, m.threads, m.medianMs,
                                          m.p90Ms, m.minMs, m.maxMs, m.runs))
    }
}
