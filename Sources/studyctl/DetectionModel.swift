import Engine
import Export
import Zoo

/// What `detect` runs: studyctl's weights on the engine, or an ONNX file through `ONNXRunner`.
struct DetectionModel {
    let names: [String]
    /// The square size a fixed-size ONNX graph takes (its images are letterboxed to exactly it);
    /// nil when any multiple of 32 runs.
    let fixedSize: Int?
    /// [1, 3, H, W] → [1, N, 5 + nc], Detect's decoded rows.
    let predict: (Tensor) throws -> Tensor

    /// `file` (.safetensors of studyctl train, or .onnx) ready to run.
    static func load(_ file: String) throws -> DetectionModel {
        if file.hasSuffix(".onnx") {
            let runner: ONNXRunner
            do { runner = try ONNXRunner(path: file) } catch { throw CLIError.badInput("error: \(error)") }
            let (h, w) = (runner.inputDims[2], runner.inputDims[3])
            guard (h == nil) == (w == nil), h == w || h == nil else {
                throw CLIError.badInput("error: \(file): the model takes \(h.map(String.init) ?? "?") × \(w.map(String.init) ?? "?") images; detect letterboxes to a square or to any size")
            }
            return DetectionModel(names: runner.names, fixedSize: h) { x in
                do { return try runner.run(x) } catch { throw CLIError.badInput("error: \(error)") }
            }
        }
        let (model, names): (Detector, [String])
        do { (model, names) = try WeightsExport.detector(file) } catch { throw CLIError.badInput("error: \(error)") }
        return DetectionModel(names: names, fixedSize: nil) { x in Autograd.withoutGrad { model.predict(x) } }
    }
}
