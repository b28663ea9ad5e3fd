import Foundation
import Results

/// A folder to carry to the device: each cell's ONNX model, bundle.json naming them, latency.py
/// that times them in ONNX Runtime there, and a README saying how to bring the answer back.
public enum LatencyBundle {
    /// One model of the bundle.
    public struct Model: Sendable, Codable, Equatable {
        /// The cell ("ghostnet__pan-aspp"), the key of the latency file the script writes.
        public var name: String
        /// Relative to the bundle: "models/ghostnet__pan-aspp.onnx".
        public var file: String
        public var imageSize: Int
        /// The run whose weights it holds.
        public var run: String
    }

    /// bundle.json.
    public struct Manifest: Sendable, Codable, Equatable {
        public var study: String
        public var studyctl: String
        public var models: [Model]
    }

    /// A cell to bundle: its weights and, when already written at the wanted size, its ONNX file.
    public struct Source: Sendable {
        public var name: String, run: String, weights: String, onnx: String?, imageSize: Int
        public init(name: String, run: String, weights: String, onnx: String?, imageSize: Int) {
            (self.name, self.run, self.weights, self.onnx, self.imageSize) = (name, run, weights, onnx, imageSize)
        }
    }

    /// Writes the bundle into `folder` (made if missing); each file through a temporary name.
    public static func write(_ sources: [Source], study: String, to folder: String) throws(ExportError) -> Manifest {
        let fm = FileManager.default
        do { try fm.createDirectory(atPath: folder + "/models", withIntermediateDirectories: true) } catch {
            throw .failed("\(folder): cannot make the bundle folder: \(error.localizedDescription)")
        }
        var models: [Model] = []
        for s in sources {
            let file = "models/\(s.name).onnx"
            if let onnx = s.onnx, let data = fm.contents(atPath: onnx) {
                do { try ResultFiles.writeAtomically(data, to: folder + "/" + file) } catch { throw .failed("\(error)") }
            } else {
                _ = try WeightsExport.onnx(s.weights, imageSize: s.imageSize, to: folder + "/" + file)
            }
            models.append(Model(name: s.name, file: file, imageSize: s.imageSize, run: s.run))
        }
        let manifest = Manifest(study: study, studyctl: CodeVersion.string, models: models)
        do {
            try ResultFiles.writeJSON(manifest, to: folder + "/bundle.json")
            try ResultFiles.writeAtomically(Data(LatencyScript.text.utf8), to: folder + "/latency.py")
            try ResultFiles.writeAtomically(Data(readme(manifest).utf8), to: folder + "/README.txt")
        } catch {
            throw .failed("\(error)")
        }
        return manifest
    }

    static func readme(_ m: Manifest) -> String {
        """
        Latency bundle of the study "\(m.study)" (studyctl \(m.studyctl)): \(m.models.count) models, one per cell, \
        each YOLOv5's ONNX layout (input images [1, 3, S, S], output output0 [1, N, 5 + nc], no NMS).

        On the device (Python 3 with numpy and onnxruntime):

            python3 latency.py --threads 1,2,4

        It times every model (batch 1, warm-up, then at least 5 s and 20 runs each) and writes latency.json.
        Bring latency.json back to the study's machine and run:

            studyctl latency STUDY_DIR --from latency.json
            studyctl report STUDY_DIR

        The report then states this device's latency, and a study ranked by latency is re-ranked by it.

        """
    }
}
