/// Every file and folder of one training run: the layout `studyctl train --output DIR` and each
/// cell of a study (`runs/<run name>/`) write.
///
/// ```
/// DIR/results.csv  curves.json  summary.json        results: the same bytes on every machine
/// DIR/timing.json  latency.json  train.log          measurements of this machine
/// DIR/weights/last.safetensors, best.safetensors
/// DIR/checkpoint/state.safetensors                   what a killed run resumes from
/// DIR/gallery.json, gallery/<k>.png                  the best epoch's detections on the first validation images
/// DIR/.lock                                          held while a process trains here
/// ```
public struct RunLayout: Sendable, Hashable {
    public let path: String

    public init(_ path: String) { self.path = path }

    public var results: String { path + "/results.csv" }
    public var curves: String { path + "/curves.json" }
    public var summary: String { path + "/summary.json" }
    public var timing: String { path + "/timing.json" }
    public var latency: String { path + "/latency.json" }
    public var log: String { path + "/train.log" }
    public var weights: String { path + "/weights" }
    public var lastWeights: String { weights + "/last.safetensors" }
    public var bestWeights: String { weights + "/best.safetensors" }
    /// The best weights as an ONNX model (studyctl export), when the study exports them.
    public var bestONNX: String { weights + "/best.onnx" }
    public var checkpointFolder: String { path + "/checkpoint" }
    public var checkpoint: String { checkpointFolder + "/state.safetensors" }
    public var galleryIndex: String { path + "/gallery.json" }
    public var galleryFolder: String { path + "/gallery" }
    /// A gallery image, relative to the run folder (as gallery.json names it).
    public static func galleryImage(_ k: Int) -> String { "gallery/\(k).png" }
    public var lock: String { path + "/.lock" }

    /// The folders `prepare` creates, where temporary files may be left.
    public var folders: [String] { [path, weights, checkpointFolder, galleryFolder] }
}
