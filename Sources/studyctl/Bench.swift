import ArgumentParser
import Engine
import Foundation
import Results
import Zoo

extension StudyCtl {
    /// `studyctl bench`: times the engine's op families (`--ops`) or a whole detector (`--model`).
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time the engine: op families (--ops) or a whole detector (--model).",
            discussion: """
                Times forward and forward+backward of each op family (3×3 and 1×1 convolutions, \
                including P5's 5×5 planes, depthwise 3×3 and 5×5 at stride 1 and 2, batch norm, SiLU) and prints medians in \
                milliseconds with the convolutions' GFLOP/s. bench/compare_ops.sh runs the same \
                shapes through PyTorch in the same session and prints the ratios.

                --model B [--neck N] times a detector's training step (forward, and backward of a \
                fixed weighted sum of its outputs) at --imgsz with --batch images, and its batch-1 \
                inference latency at --infer-imgsz with Conv+BN fused. --trunk times only the \
                backbone trunk, backward from the mean of its output. bench/compare_models.py \
                runs the PyTorch anchor in the same session and prints the ratios.
                """
        )

        @Flag(help: "Benchmark the op families.")
        var ops = false

        @Option(help: "Benchmark this backbone's detector (e.g. cspdarknet, mobilenetv2@0.5).")
        var model: String?

        @Option(help: "The neck of the detector.")
        var neck = "pan-sppf"

        @Flag(help: "Time only the backbone trunk (forward + backward of its output's mean).")
        var trunk = false

        @Option(help: "Training image size.")
        var imgsz = 160

        @Option(help: "Training batch size.")
        var batch = 16

        @Option(help: "Image size of the batch-1 inference timing.")
        var inferImgsz = 320

        @Option(help: "Classes of the detector.")
        var classes = 3

        @Flag(help: "With --model: print where the time goes, per op (forward and backward).")
        var profile = false

        @OptionGroup var threading: ThreadsOption

        @Option(help: "Timed repetitions per op (the median is reported).")
        var iterations: Int = 20

        @Option(help: "Only the ops whose name contains this text (e.g. dw3x3).")
        var only: String?

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func validate() throws {
            guard ops != (model != nil) else { throw ValidationError("choose one benchmark: --ops or --model BACKBONE") }
            if let model {
                do {
                    _ = try DetectorSpec(backbone: model, neck: neck, classes: classes)
                    try DetectorSpec.validate(imageSize: imgsz)
                    try DetectorSpec.validate(imageSize: inferImgsz)
                } catch { throw ValidationError("\(error)") }
            }
            guard batch >= 1, batch <= 1024 else { throw ValidationError("--batch must be from 1 to 1024, got \(batch)") }
            guard iterations >= 1, iterations <= 100_000 else { throw ValidationError("--iterations must be from 1 to 100000, got \(iterations)") }
        }

        func run() throws {
            threading.apply()
            let threads = threading.threads
            if let model {
                let spec = try DetectorSpec(backbone: model, neck: neck, classes: classes)
                let r = ModelBenchmark(spec: spec, trunkOnly: trunk, imageSize: imgsz, batch: batch,
                                       inferenceSize: inferImgsz, iterations: iterations, profile: profile).run(threads: threads)
                if json {
                    print(try prettyJSON(r))
                } else {
                    print("\(r.model), \(threads) threads, batch \(batch) at \(imgsz) px, median of \(iterations)")
                    print(String(format: "training step %.3f s (forward %.3f s, backward %.3f s), %.1f images/s",
                                 r.step_s, r.forward_s, r.backward_s, r.images_per_s))
                    if let ms = r.infer_b1_ms { print(String(format: "inference, batch 1 at %d px, fused: %.1f ms", inferImgsz, ms)) }
                    print(String(format: "peak RSS %.0f MiB", r.peak_rss_mib))
                    print(String(format: "roofline (measured now, %d threads): FMA peak %.1f GFLOP/s, memory %.1f GB/s", threads, r.peak_gflops, r.bandwidth_gbs))
                    print(String(format: "training step: %.2f GFLOP (3 × forward × batch) in %.3f s = %.1f GFLOP/s, %.0f %% of the peak",
                                 r.train_gflop_per_step, r.step_s, r.achieved_gflops, 100 * r.share_of_peak))
                    for (title, rows) in [("training step", r.profile_train), ("inference", r.profile_infer)] where !(rows ?? []).isEmpty {
                        print("\nper-op time, \(title) (ms per step):")
                        for row in rows ?? [] {
                            print(row.op.padding(toLength: 28, withPad: " ", startingAt: 0)
                                  + String(format: "%9.2f  (%d calls)  %@-bound", row.ms, row.calls, row.bound))
                        }
                    }
                }
                return
            }
            let results = OpBenchmark.all.filter { only.map($0.name.contains) ?? true }.map { $0.measure(iterations: iterations) }
            if json {
                print(try prettyJSON(OpBenchmark.Report(engine: "studyctl \(CodeVersion.string)", threads: threads, ops: results),
                                     snakeCaseKeys: true))
                return
            }
            print("threads \(threads), median of \(iterations)")
            print("op".padding(toLength: 34, withPad: " ", startingAt: 0) + "   fwd ms  fwd+bwd ms  fwd GFLOP/s")
            for r in results {
                let rate = r.gflopForward > 0 ? String(format: "%11.1f", r.gflopForward / (r.forwardMs / 1000)) : "           "
                print(r.name.padding(toLength: 34, withPad: " ", startingAt: 0)
                      + String(format: "%9.2f %11.2f ", r.forwardMs, r.forwardBackwardMs) + rate)
            }
        }
    }
}
