import Foundation
import Results

/// A `--weights` or WEIGHTS argument: a weights file, or a run folder standing for its best
/// weights at the run's image size (`studyctl export`, `studyctl detect`).
struct WeightsArgument {
    /// The weights file to read.
    let file: String
    /// `--imgsz` when given, else the run's image size, else YOLOv5's 640.
    let imageSize: Int

    init(_ path: String, imgsz: Int?) {
        var isDirectory: ObjCBool = false
        let isRun = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
        let run = RunLayout(path)
        file = isRun ? run.bestWeights : path
        imageSize = imgsz ?? (isRun ? (try? ResultFiles.readJSON(RunSummary.self, from: run.summary))?.imageSize : nil) ?? 640
    }
}
