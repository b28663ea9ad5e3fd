import Engine
import Foundation
import Zoo

/// Times one detector (or one backbone trunk): training step forward and backward, and batch-1
/// fused inference — the figures `studyctl bench --model` prints.
struct ModelBenchmark {
    var spec: DetectorSpec
    var trunkOnly: Bool
    var imageSize: Int, batch: Int, inferenceSize: Int
    var iterations: Int
    var profile = false

    struct Result: Codable {
        var model: String
        var threads: Int
        var imgsz: Int, batch: Int
        var forward_s: Double, backward_s: Double, step_s: Double, images_per_s: Double
        var infer_imgsz: Int?
        var infer_b1_ms: Double?
        var peak_rss_mib: Double
        /// Training FLOPs per step: 3 × the forward's GFLOPs (YOLOv5's 2 × MACs) × batch, as PyTorch
        /// papers count a training step; over the step time, and as a share of the measured peak.
        var train_gflop_per_step: Double
        var achieved_gflops: Double
        var peak_gflops: Double
        var bandwidth_gbs: Double
        var share_of_peak: Double
        var profile_train: [ProfileRow]?
        var profile_infer: [ProfileRow]?
    }

    struct ProfileRow: Codable {
        var op: String; var ms: Double; var calls: Int
        /// "compute" for dense convolutions and linear layers (their time goes to FMAs), "memory" for
        /// depthwise convolutions (9 or 25 multiply-adds per value read) and the elementwise,
        /// normalisation, pooling and copy ops (their time goes to moving data).
        var bound: String
    }

    /// The profiler's totals as rows per step of `steps` steps.
    static func profileRows(steps: Int) -> [ProfileRow] {
        Profiler.drain().map { entry in
            // "conv2d(_:_:bias:…) backward" → "conv2d backward"
            let op = entry.name.replacingOccurrences(of: #"\(.*\)"#, with: "", options: .regularExpression)
            let compute = (op.contains("conv") && !op.contains("depthwise")) || op.contains("linear")
            return ProfileRow(op: op, ms: 1000 * entry.seconds / Double(steps), calls: entry.calls / steps, bound: compute ? "compute" : "memory")
        }
    }

    func run(threads: Int) -> Result {
        let detector = Detector(spec: spec, seed: 0)
        _ = detector.train()
        var rng = Philox(seed: 2)
        let x = Tensor(rng.uniform(batch * 3 * imageSize * imageSize), shape: [batch, 3, imageSize, imageSize])
        // Training step: forward, then backward of a fixed weighted sum of the outputs (the trunk:
        // of the mean of its output, as the PyTorch anchor does).
        var forwardTimes: [Double] = [], backwardTimes: [Double] = []
        var weights: [Tensor]?
        let parameters = detector.parameters()
        let step = {
            for p in parameters { p.grad = nil }
            let t0 = DispatchTime.now().uptimeNanoseconds
            let outputs = trunkOnly ? [detector.backbone(x)] : detector(x)
            let t1 = DispatchTime.now().uptimeNanoseconds
            if weights == nil {
                var wr = Philox(seed: 3)
                weights = outputs.map { Tensor(wr.uniform($0.count, low: -1, high: 1), shape: $0.shape) }
            }
            let loss = trunkOnly ? mean(outputs[0]) : zip(outputs, weights!).map { sum($0 * $1) }.reduce(Tensor(zeros: [1])) { $0 + $1 }
            loss.backward()
            let t2 = DispatchTime.now().uptimeNanoseconds
            forwardTimes.append(Double(t1 - t0) / 1e9)
            backwardTimes.append(Double(t2 - t1) / 1e9)
        }
        let stepSeconds = medianSeconds(iterations: iterations, warmup: 2, step)
        var trainProfile: [ProfileRow]?
        if profile {
            Profiler.enabled = true
            for _ in 0..<iterations { step() }
            Profiler.enabled = false
            trainProfile = Self.profileRows(steps: iterations)
        }
        let forward = forwardTimes.dropFirst(2).prefix(iterations).sorted()[iterations / 2]
        let backward = backwardTimes.dropFirst(2).prefix(iterations).sorted()[iterations / 2]

        var inferenceMs: Double?
        var inferProfile: [ProfileRow]?
        if !trunkOnly {
            // Calibrated BatchNorm statistics (a few training-mode passes), then fused eval:
            // a fresh model in eval mode would run on denormal floats.
            _ = detector.train()
            Autograd.withoutGrad { for _ in 0..<3 { _ = detector(x) } }
            _ = detector.eval()
            detector.fuse()
            let image = Tensor(rng.uniform(3 * inferenceSize * inferenceSize), shape: [1, 3, inferenceSize, inferenceSize])
            inferenceMs = 1000 * medianSeconds(iterations: max(iterations, 10), warmup: 2) { _ = detector.predict(image) }
            if profile {
                Profiler.enabled = true
                for _ in 0..<iterations { _ = detector.predict(image) }
                Profiler.enabled = false
                inferProfile = Self.profileRows(steps: iterations)
            }
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let forwardGFLOPs = trunkOnly
            ? ModelSummary(detector.backbone, imageSize: imageSize) { _ = detector.backbone($0) }.gflops
            : ModelSummary(Detector(spec: spec, seed: 0), imageSize: imageSize).gflops
        let stepGFLOP = 3 * forwardGFLOPs * Double(batch)
        let ceilings = Roofline.measure()
        return Result(model: trunkOnly ? "\(spec.backbone) trunk" : spec.description, threads: threads,
                      imgsz: imageSize, batch: batch, forward_s: forward, backward_s: backward, step_s: stepSeconds,
                      images_per_s: Double(batch) / stepSeconds, infer_imgsz: trunkOnly ? nil : inferenceSize,
                      infer_b1_ms: inferenceMs, peak_rss_mib: Double(usage.ru_maxrss) / 1024,
                      train_gflop_per_step: stepGFLOP, achieved_gflops: stepGFLOP / stepSeconds, peak_gflops: ceilings.gflops,
                      bandwidth_gbs: ceilings.gbPerSecond, share_of_peak: stepGFLOP / stepSeconds / ceilings.gflops,
                      profile_train: trainProfile, profile_infer: inferProfile)
    }
}
