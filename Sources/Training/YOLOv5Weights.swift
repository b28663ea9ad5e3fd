import Engine
import Results
import TorchCheckpoint
import Zoo

/// The whole detector started from a YOLOv5 v7.0 checkpoint (`train --weights yolov5n.pt`), as
/// train.py's `--weights` does: every tensor whose YOLOv5 name and shape match is copied
/// (`intersect_dicts`); Detect's output convolutions stay as initialised when the class count differs.
public enum YOLOv5Weights {
    /// What was copied, for train.py's "Transferred 343/349 items" line.
    public struct Loaded: Sendable {
        public let transferred: Int
        public let total: Int
        /// Detect's convolutions left as initialised (another class count); empty when nc matches.
        public let reinitialised: [String]
    }

    /// Copies `source`'s tensors into `model` (cspdarknet + pan-sppf); throws one line when the
    /// architecture differs or a tensor outside Detect's convolutions is missing or misshapen.
    /// `preferEMA` reads the checkpoint's `ema` when it has one, as val.py's attempt_load does;
    /// otherwise `model`, as train.py's --weights does.
    public static func load(_ source: WeightsFile, into model: Detector, preferEMA: Bool = false) throws(PretrainedLoadError) -> Loaded {
        guard YOLOv5Names.fits(model.spec) else {
            throw PretrainedLoadError("\(source.file): YOLOv5 weights fit cspdarknet + pan-sppf (yolov5n), not \(model.spec)")
        }
        var checkpoint: TorchCheckpoint
        do {
            checkpoint = try TorchCheckpoint.read(contentsOf: source.file)
            if preferEMA, checkpoint.tensorKeys.contains("ema") { checkpoint = try TorchCheckpoint.read(contentsOf: source.file, key: "ema") }
        } catch {
            throw PretrainedLoadError("\(error)")
        }
        let theirs = Dictionary(checkpoint.tensors.map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first })
        var transferred = 0, reinitialised: [String] = []
        var copies: [(Tensor, [Float])] = []
        let ours = model.stateDictInModuleOrder()
        for (name, tensor) in ours {
            let key = YOLOv5Names.yolov5(name)!
            let isHead = key.hasPrefix("model.24.m.")
            guard let t = theirs[key], t.shape == tensor.shape.dims else {
                if isHead {
                    reinitialised.append(key)
                    continue
                }
                let found = theirs[key].map { "has shape \($0.shape)" } ?? "is missing"
                throw PretrainedLoadError("\(source.file): not yolov5n's weights: \(key) \(found), \(name) needs \(tensor.shape.dims)")
            }
            copies.append((tensor, t.values))
            transferred += 1
        }
        for (tensor, values) in copies { values.withUnsafeBufferPointer { tensor.data.update(from: $0.baseAddress!, count: tensor.count) } }
        return Loaded(transferred: transferred, total: ours.count, reinitialised: reinitialised)
    }

    /// Loads `source` into a throwaway `spec` detector: the whole check, before training starts.
    public static func check(_ source: WeightsFile, spec: DetectorSpec) throws(PretrainedLoadError) -> Loaded {
        try load(source, into: Detector(spec: spec, seed: 0))
    }
}
