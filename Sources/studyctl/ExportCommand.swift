import ArgumentParser
import Engine
import Export
import Foundation
import Results
import Zoo

extension StudyCtl {
    /// `studyctl export`: trained weights as an ONNX model.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export trained weights as an ONNX model, as YOLOv5's export.py does.",
            discussion: """
                The fused model (BatchNorm folded into the convolutions) with Detect's decode in the graph: \
                input `images` [1, 3, S, S] float, output `output0` [1, N, 5 + nc] (cx, cy, w, h in pixels, \
                objectness and class scores after the sigmoid), no NMS; `stride` and `names` in the metadata. \
                Opset 17, default domain only. WEIGHTS is a weights file of `studyctl train`, or a run folder \
                (its weights/best.safetensors, at the run's image size).

                --reference DIR also writes DIR/input.bin (a seeded random image, float32 [1, 3, S, S]) and \
                DIR/output.bin (the engine's fused output for it, float32 [1, N, 5 + nc]), so another runtime \
                can be checked against the engine: bench/onnx_check.py does it with ONNX Runtime.

                Examples:
                  studyctl export output/quickstart/runs/ghostnet__pan-aspp__s0
                  studyctl export runs/ghost/weights/best.safetensors --imgsz 320 --output ghost.onnx
                """)

        @Argument(help: "A weights file (.safetensors) of studyctl train, or a run folder.")
        var weights: String

        @Option(help: "Export format (only onnx).")
        var format: String = "onnx"

        @Option(help: "Image size the graph is fixed at, a multiple of 32 (default: the run's, else 640).")
        var imgsz: Int?

        @Option(help: "The ONNX file to write (default: the weights file with .onnx).")
        var output: String?

        @Option(help: "Write input.bin and output.bin (the engine's answer) into this folder.")
        var reference: String?

        func validate() throws {
            guard format == "onnx" else { throw ValidationError("--format must be onnx, got '\(format)'") }
            if let imgsz { do { try DetectorSpec.validate(imageSize: imgsz) } catch { throw ValidationError("--imgsz: \(error)") } }
        }

        func run() throws {
            let argument = WeightsArgument(weights, imgsz: imgsz)
            let (file, size) = (argument.file, argument.imageSize)
            let path = output ?? (file.hasSuffix(".safetensors") ? String(file.dropLast(".safetensors".count)) : file) + ".onnx"
            let written: WeightsExport.Written
            do {
                written = try WeightsExport.onnx(file, imageSize: size, to: path)
            } catch {
                switch error {
                case .badInput(let m): throw CLIError.badInput("error: \(m)")
                case .failed(let m): throw CLIError.failed("error: \(m)")
                }
            }
            let model = written.detector
            print(String(format: "%@ → %@ (%@, %d px, opset %d, %d nodes, %.1f MB)", file, path, written.spec, size,
                         ONNXExport.opset, written.nodes, Double(written.bytes) / 1e6))
            if let reference { try writeReference(model, size: size, folder: reference) }
        }

        /// A seeded random image and the engine's fused output for it, as raw float32.
        func writeReference(_ model: Detector, size: Int, folder: String) throws {
            var rng = Philox(seed: 7)
            let x = Tensor(rng.uniform(3 * size * size), shape: [1, 3, size, size])
            let y = Autograd.withoutGrad { model.predict(x) }
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                for (name, t) in [("input.bin", x), ("output.bin", y)] {
                    try ResultFiles.writeAtomically(Data(buffer: UnsafeBufferPointer(start: t.data, count: t.count)), to: folder + "/" + name)
                }
            } catch {
                throw CLIError.failed("error: \(folder): cannot write the reference: \(error)")
            }
            print("reference: \(folder)/input.bin \(x.shape), \(folder)/output.bin \(y.shape)")
        }
    }
}
