import Engine
import Foundation
import Results
import Zoo

/// Batch-1 inference time of a trained detector, fused (BatchNorm folded into the convolutions)
/// as it would be deployed.
public enum Latency {
    /// 15 timed runs after 3 warm-ups on the pool's threads, on a copy of `model` (which is left as it is).
    public static func fusedBatchOne(_ model: Detector, imageSize: Int) -> LatencyMeasurement {
        let copy = Detector(spec: model.spec, seed: 0)
        let source = Dictionary(uniqueKeysWithValues: model.stateDict().map { ($0.name, $0.tensor) })
        for (name, tensor) in copy.stateDict() { tensor.data.update(from: source[name]!.data, count: tensor.count) }
        _ = copy.eval()
        copy.fuse()
        return measure(copy, imageSize: imageSize, warmup: 3, minRuns: 15, minSeconds: 0)
    }

    /// `fused` (already fused and in evaluation mode) on one seeded random image: `warmup` untimed
    /// runs, then timed runs until both `minRuns` and `minSeconds` are reached.
    public static func measure(_ fused: Detector, imageSize: Int, warmup: Int, minRuns: Int, minSeconds: Double) -> LatencyMeasurement {
        var rng = Philox(seed: 7)
        let x = Tensor(rng.uniform(3 * imageSize * imageSize), shape: [1, 3, imageSize, imageSize])
        for _ in 0..<warmup { _ = fused.predict(x) }
        var times: [Double] = []
        let start = DispatchTime.now().uptimeNanoseconds
        while times.count < minRuns || Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 < minSeconds {
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = fused.predict(x)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
        }
        return LatencyMeasurement(runtime: "studyctl engine \(CodeVersion.string)", machine: Machine.current().cpuModel,
                                  threads: ThreadPool.shared.threadCount, imageSize: imageSize, warmup: warmup, times: times)
    }
}
