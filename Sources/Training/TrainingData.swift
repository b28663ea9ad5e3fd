import Detection
import Engine
import Foundation

/// A dataset's train and val splits, read once for every run that trains on them, and their
/// images decoded into RAM per image size — the same for `studyctl train` and every study cell.
public final class TrainingData {
    public let yaml: DataYAML
    public let train: DetectionDataset
    public let val: DetectionDataset
    /// What the runs' checkpoints are tied to: both splits' files and labels.
    public let fingerprint: String
    private let log: (String) -> Void
    private let lock = NSLock()
    private var stores: [Int: (train: ImageStore, validator: Validator)] = [:]

    /// Whether to decode the images into RAM before training.
    public enum Cache: String, Sendable, CaseIterable {
        /// When the resized images fit in a quarter of RAM.
        case auto
        case ram
        case none
    }

    /// Reads both splits and logs their counts and the first problems of each.
    public init(_ yaml: DataYAML, log: @escaping (String) -> Void) throws(InputProblem) {
        self.yaml = yaml
        train = try DetectionDataset.load(yaml, split: "train")
        val = try DetectionDataset.load(yaml, split: "val")
        self.log = log
        fingerprint = SHA256.hex(Array((train.fingerprint() + val.fingerprint()).utf8))
        for (name, split) in [("train", train), ("val", val)] {
            log("\(name): \(split.count) images, \(split.instanceCount) labels, \(split.ignored.count) ignored"
                + (split.duplicateLabels > 0 ? ", \(split.duplicateLabels) duplicate labels removed" : ""))
            for problem in split.ignored.prefix(20) { log("warning: ignoring \(problem)") }
            if split.ignored.count > 20 { log("warning: ... and \(split.ignored.count - 20) more ignored images") }
        }
    }

    /// The training images and the validator at `imageSize`, made (and cached) on first use.
    ///
    /// Throws when no image of a split can be decoded: there would be nothing to train on.
    public func stores(imageSize: Int, cache: Cache, validationBatch: Int) throws(InputProblem) -> (train: ImageStore, validator: Validator) {
        lock.lock()
        defer { lock.unlock() }
        if let made = stores[imageSize] { return made }
        let t = ImageStore(train, imageSize: imageSize, forTraining: true), v = ImageStore(val, imageSize: imageSize, forTraining: false)
        for (name, store) in [("train", t), ("val", v)] { try load(store, name: name, cache: cache) }
        let made = (t, Validator(store: v, batchSize: validationBatch, galleryCount: GallerySample.count))
        stores[imageSize] = made
        return made
    }

    func load(_ store: ImageStore, name: String, cache: Cache) throws(InputProblem) {
        let bytes = store.resizedBytes
        let fits = bytes < Int(ProcessInfo.processInfo.physicalMemory) / 4
        guard cache == .ram || (cache == .auto && fits) else {
            if cache == .auto {
                log(String(format: "%@: not caching images (%.1f MB would exceed a quarter of RAM; --cache ram forces it)", name, Double(bytes) / 1e6))
            }
            return
        }
        let started = Date()
        let problems = store.cacheAll()
        if !problems.isEmpty && problems.count == store.dataset.count {
            throw InputProblem(file: yaml.file, "\(name): none of the \(problems.count) images can be decoded, so there is nothing to train on (first: \(problems[0]))")
        }
        for problem in problems.prefix(5) { log("warning: \(problem) (trained as a grey image)") }
        log(String(format: "%@: cached %d images at %d px in RAM (%.1f MB) in %.1f s", name, store.dataset.count, store.imageSize,
                   Double(bytes) / 1e6, Date().timeIntervalSince(started)))
    }
}
