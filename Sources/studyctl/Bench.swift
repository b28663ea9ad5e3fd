import ArgumentParser
import Engine
import Foundation
import Zoo

extension StudyCtl {
    /// `studyctl bench --ops`: times the engine's op families on YOLOv5n shapes.
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
                backbone trunk, backward from the mean of its output. bench/compare_models.sh \
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
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                    print(String(decoding: try encoder.encode(r), as: UTF8.self))
                } else {
                    print("\(r.model), \(threads) threads, batch \(batch) at \(imgsz) px, median of \(iterations)")
                    print(String(format: "training step %.3f s (forward %.3f s, backward %.3f s), %.1f images/s",
                                 r.step_s, r.forward_s, r.backward_s, r.images_per_s))
                    if let ms = r.infer_b1_ms { print(String(format: "inference, batch 1 at %d px, fused: %.1f ms", inferImgsz, ms)) }
                    print(String(format: "peak RSS %.0f MiB", r.peak_rss_mib))
                    for (title, rows) in [("training step", r.profile_train), ("inference", r.profile_infer)] where !(rows ?? []).isEmpty {
                        print("\nper-op time, \(title) (ms per step):")
                        for row in rows ?? [] {
                            print(row.op.padding(toLength: 28, withPad: " ", startingAt: 0) + String(format: "%9.2f  (%d calls)", row.ms, row.calls))
                        }
                    }
                }
                return
            }
            let results = OpBenchmark.all.filter { only.map($0.name.contains) ?? true }.map { $0.measure(iterations: iterations) }
            if json {
                let rows = results.map { r in
                    "    {\"name\": \"\(r.name)\", \"forward_ms\": \(r.forwardMs), \"forward_backward_ms\": \(r.forwardBackwardMs), \"gflop_forward\": \(r.gflopForward)}"
                }
                print("{\n  \"engine\": \"studyctl\", \"threads\": \(threads),\n  \"ops\": [\n\(rows.joined(separator: ",\n"))\n  ]\n}")
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

/// One op on one shape, timed forward and forward+backward.
struct OpBenchmark {
    var name: String
    var inputShape: Shape
    var parameterShapes: [Shape]
    /// Forward FLOPs (2 × multiply-adds) for convolutions, 0 for memory-bound ops.
    var gflopForward: Double
    var forward: (Tensor, [Tensor]) -> Tensor

    struct Result { var name: String; var forwardMs: Double; var forwardBackwardMs: Double; var gflopForward: Double }

    /// The shapes of issue #3: YOLOv5n at 160 px, batch 16.
    static var all: [OpBenchmark] { [
        conv("conv3x3 16->32 80x80 s2", x: [16, 16, 80, 80], o: 32, k: 3, stride: 2, groups: 1),
        conv("conv1x1 64->64 20x20", x: [16, 64, 20, 20], o: 64, k: 1, stride: 1, groups: 1),
        conv("conv3x3 128->128 5x5 (P5)", x: [16, 128, 5, 5], o: 128, k: 3, stride: 1, groups: 1),
        conv("conv1x1 256->128 5x5 (P5)", x: [16, 256, 5, 5], o: 128, k: 1, stride: 1, groups: 1),
        conv("dw3x3 64 40x40 s1", x: [16, 64, 40, 40], o: 64, k: 3, stride: 1, groups: 64),
        conv("dw3x3 64 40x40 s2", x: [16, 64, 40, 40], o: 64, k: 3, stride: 2, groups: 64),
        conv("dw5x5 64 40x40 s1", x: [16, 64, 40, 40], o: 64, k: 5, stride: 1, groups: 64),
        conv("dw5x5 64 40x40 s2", x: [16, 64, 40, 40], o: 64, k: 5, stride: 2, groups: 64),
        OpBenchmark(name: "batchnorm 32x80x80", inputShape: [16, 32, 80, 80], parameterShapes: [[32], [32]],
                    gflopForward: 0) { x, p in
            batchNorm2d(x, weight: p[0], bias: p[1], runningMean: Tensor(zeros: [32]),
                        runningVar: Tensor(repeating: 1, shape: [32]), training: true, momentum: 0.03, eps: 1e-3)
        },
        OpBenchmark(name: "silu 32x80x80", inputShape: [16, 32, 80, 80], parameterShapes: [], gflopForward: 0) { x, _ in
            silu(x)
        },
    ] }

    static func conv(_ name: String, x: Shape, o: Int, k: Int, stride: Int, groups: Int) -> OpBenchmark {
        let c = x[1], pad = k / 2
        let oh = (x[2] + 2 * pad - k) / stride + 1, ow = (x[3] + 2 * pad - k) / stride + 1
        let flops = 2.0 * Double(x[0] * o * oh * ow * (c / groups) * k * k) / 1e9
        return OpBenchmark(name: name, inputShape: x, parameterShapes: [[o, c / groups, k, k]], gflopForward: flops) { x, p in
            conv2d(x, p[0], stride: stride, padding: pad, groups: groups)
        }
    }

    func measure(iterations: Int) -> Result {
        var rng = Philox(seed: 0)
        let x = Tensor(rng.uniform(inputShape.count, low: -1, high: 1), shape: inputShape, requiresGrad: true)
        let params = parameterShapes.map { Tensor(rng.uniform($0.count, low: -0.1, high: 0.1), shape: $0, requiresGrad: true) }
        func time(_ body: () -> Void) -> Double {
            for _ in 0..<3 { body() }
            var samples: [Double] = []
            for _ in 0..<iterations {
                let start = DispatchTime.now().uptimeNanoseconds
                body()
                samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            return samples.sorted()[samples.count / 2]
        }
        let forwardMs = time { Autograd.withoutGrad { _ = forward(x, params) } }
        var gradient: Tensor?
        let forwardBackwardMs = time {
            x.grad = nil
            for p in params { p.grad = nil }
            let y = forward(x, params)
            if gradient == nil { gradient = Tensor(repeating: 1, shape: y.shape) }
            y.backward(gradient: gradient!)
        }
        return Result(name: name, forwardMs: forwardMs, forwardBackwardMs: forwardBackwardMs, gflopForward: gflopForward)
    }
}
