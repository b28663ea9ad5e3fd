import Engine
import Foundation
import Results
import Zoo

/// A weights file of `studyctl train` read back as its detector, fused, and written as ONNX —
/// what `studyctl export` and a study's `[export] onnx` both do.
public enum WeightsExport {
    /// What was written.
    public struct Written {
        public var spec: String
        public var nodes: Int
        public var bytes: Int
        public var detector: Detector
    }

    /// The detector a weights file holds, with its class names (fused and in evaluation mode).
    public static func detector(_ file: String) throws(ExportError) -> (Detector, [String]) {
        let (model, names) = try unfused(file)
        _ = model.eval()
        model.fuse()
        return (model, names)
    }

    /// The detector a weights file of `studyctl train` holds, as trained, with its class names.
    public static func unfused(_ file: String) throws(ExportError) -> (Detector, [String]) {
        let loaded: SafetensorsFile
        do { loaded = try SafetensorsFile(path: file) } catch { throw .badInput("\(error)") }
        guard loaded.metadata["format"] == "studyctl-weights", let specText = loaded.metadata["spec"],
              let classes = loaded.metadata["classes"].flatMap(Int.init),
              let spec = DetectorSpec(description: specText, classes: classes) else {
            throw .badInput("\(file): not weights written by studyctl train (no model name in the file)")
        }
        let names = loaded.metadata["names"].flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) }
            ?? (0..<classes).map { "class\($0)" }
        let model = Detector(spec: spec, seed: 0)
        do { try model.loadWeights(from: file) } catch { throw .badInput("\(error)") }
        return (model, names)
    }

    /// Writes `file`'s detector as ONNX at `imageSize` to `path` (through a temporary name).
    public static func onnx(_ file: String, imageSize: Int, opset: Int = ONNXExport.opset, dynamic: Bool = false,
                            to path: String) throws(ExportError) -> Written {
        let (model, names) = try detector(file)
        let onnx = try ONNXExport.model(model, imageSize: imageSize, names: names, opset: opset, dynamic: dynamic)
        let data: Data
        do { data = try ONNXExport.serialized(onnx) } catch { throw .failed("\(path): cannot serialise the model: \(error)") }
        do { try ResultFiles.writeAtomically(data, to: path) } catch { throw .failed("\(error)") }
        return Written(spec: model.spec.description, nodes: onnx.graph.node.count, bytes: data.count, detector: model)
    }
}

extension WeightsExport {
    /// Writes `file`'s cspdarknet + pan-sppf weights (unfused) as safetensors under YOLOv5 v7.0's
    /// state-dict names, which `Model('yolov5n.yaml', nc=…).load_state_dict(safetensors.torch.load_file(…))`
    /// loads with no key missing or unexpected; returns the number of tensors written.
    public static func yolov5(_ file: String, to path: String) throws(ExportError) -> Int {
        let (model, _) = try unfused(file)
        guard YOLOv5Names.fits(model.spec) else {
            throw .badInput("\(file): --format yolov5 needs cspdarknet + pan-sppf (yolov5n), not \(model.spec)")
        }
        var tensors: [String: Tensor] = [:]
        for (name, tensor) in model.stateDict() { tensors[YOLOv5Names.yolov5(name)!] = tensor }
        // torch's BatchNorm2d also keeps num_batches_tracked (an int64 count); load_state_dict copies a float into it
        for (path, module) in model.namedModules() where module is BatchNorm2d {
            tensors[String(YOLOv5Names.yolov5(path + ".weight")!.dropLast("weight".count)) + "num_batches_tracked"] = Tensor(zeros: [])
        }
        do { try Safetensors.write(tensors, metadata: ["format": "pt"], to: path) } catch { throw .failed("\(error)") }
        return tensors.count
    }
}

/// Why an export did not happen: the input (exit 2) or the writing (exit 1).
public enum ExportError: Error, CustomStringConvertible {
    case badInput(String)
    case failed(String)

    public var description: String {
        switch self {
        case .badInput(let m), .failed(let m): m
        }
    }
}
