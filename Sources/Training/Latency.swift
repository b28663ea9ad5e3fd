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
        var rng = Philox(seed: 7)
        let x = Tensor(rng.uniform(3 * imageSize * imageSize), shape: [1, 3, imageSize, imageSize])
        var times: [Double] = []
        for run in 0..<18 {
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = copy.predict(x)
            let t1 = DispatchTime.now().uptimeNanoseconds
            if run >= 3 { times.append(Double(t1 - t0) / 1e6) }
        }
        return LatencyMeasurement(runtime: "studyctl engine \(CodeVersion.string)", machine: Machine.current().cpuModel,
                                  threads: ThreadPool.shared.threadCount, imageSize: imageSize, warmup: 3, times: times)
    }
}
