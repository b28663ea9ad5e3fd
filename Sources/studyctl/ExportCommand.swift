import ArgumentParser
import Engine
import Export
import Detection
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
                Opset 17 (14 to 17 with --opset), default domain only; --dynamic makes the batch, height and \
                width symbolic (`batch`, `height`, `width`; output rows `anchors`), as export.py --dynamic. WEIGHTS is a weights file of `studyctl train`, or a run folder \
                (its weights/best.safetensors, at the run's image size).

                --reference DIR also writes DIR/input.bin (a seeded random image, float32 [1, 3, S, S], or \
                --reference-image letterboxed: to S × S, or with --dynamic to its own aspect padded to a multiple \
                of 32 as detect.py does), DIR/output.bin (the engine's fused output for it, float32 [1, N, 5 + nc]) \
                and DIR/shapes.json, so another runtime can be checked against the engine: bench/onnx_check.py \
                does it with ONNX Runtime.

                --bundle DIR (WEIGHTS a study folder, or a run folder) writes a latency bundle for the device \
                instead: one ONNX model per cell, bundle.json, latency.py (times them in ONNX Runtime on the \
                device; Python 3, numpy and onnxruntime there) and README.txt; `studyctl latency STUDY_DIR --from \
                latency.json` brings the answer back.

                Examples:
                  studyctl export output/quickstart/runs/ghostnet__pan-aspp__s0
                  studyctl export output/quickstart --bundle quickstart-latency
                  studyctl export runs/ghost/weights/best.safetensors --imgsz 320 --output ghost.onnx
                """)

        @Argument(help: "A weights file (.safetensors) of studyctl train, or a run folder.")
        var weights: String

        @Option(help: "onnx, or yolov5: a cspdarknet + pan-sppf run's weights as safetensors under YOLOv5 v7.0's state-dict names.")
        var format: String = "onnx"

        @Option(help: "Image size the graph is fixed at, a multiple of 32 (default: the run's, else 640).")
        var imgsz: Int?

        @Option(help: "ONNX opset, from \(ONNXExport.opsets.lowerBound) to \(ONNXExport.opsets.upperBound).")
        var opset: Int = ONNXExport.opset

        @Flag(help: "Symbolic batch, height and width (the image size still sets the reference).")
        var dynamic = false

        @Option(help: "The ONNX file to write (default: the weights file with .onnx).")
        var output: String?

        @Option(help: "Write a latency bundle of every cell of the study folder WEIGHTS into this folder.")
        var bundle: String?

        @Option(help: "Write input.bin and output.bin (the engine's answer) into this folder.")
        var reference: String?

        @Option(help: "A real image for --reference instead of random pixels.")
        var referenceImage: String?

        func validate() throws {
            guard ["onnx", "yolov5"].contains(format) else { throw ValidationError("--format must be onnx or yolov5, got '\(format)'") }
            guard ONNXExport.opsets.contains(opset) else {
                throw ValidationError("--opset must be from \(ONNXExport.opsets.lowerBound) to \(ONNXExport.opsets.upperBound), got \(opset)")
            }
            if let imgsz { do { try DetectorSpec.validate(imageSize: imgsz) } catch { throw ValidationError("--imgsz: \(error)") } }
        }

        func run() throws {
            if let bundle { return try writeBundle(bundle) }
            let argument = WeightsArgument(weights, imgsz: imgsz)
            if format == "yolov5" { return try writeYOLOv5(argument.file) }
            let (file, size) = (argument.file, argument.imageSize)
            let path = output ?? Self.stem(file) + ".onnx"
            let written: WeightsExport.Written
            do { written = try WeightsExport.onnx(file, imageSize: size, opset: opset, dynamic: dynamic, to: path) } catch {
                throw CLIError(error)
            }
            let model = written.detector
            print(String(format: "%@ → %@ (%@, %@, opset %d, %d nodes, %.1f MB)", file, path, written.spec,
                         dynamic ? "any batch and size" : "\(size) px", opset, written.nodes, Double(written.bytes) / 1e6))
            if let reference { try writeReference(model, size: size, folder: reference) }
        }

        /// The weights file without its .safetensors, where an export writes beside it.
        static func stem(_ file: String) -> String {
            file.hasSuffix(".safetensors") ? String(file.dropLast(".safetensors".count)) : file
        }

        /// The weights under YOLOv5's names, beside the weights file (or at --output).
        func writeYOLOv5(_ file: String) throws {
            let path = output ?? Self.stem(file) + "-yolov5.safetensors"
            let count: Int
            do { count = try WeightsExport.yolov5(file, to: path) } catch { throw CLIError(error) }
            print("\(file) → \(path) (\(count) tensors under YOLOv5 v7.0's names)")
            print("In YOLOv5: Model('models/yolov5n.yaml', nc=NC).load_state_dict(safetensors.torch.load_file('\(path)'))")
        }

        /// A latency bundle of every cell of the study (or run) folder `weights`.
        func writeBundle(_ folder: String) throws {
            let runs = try FinishedRuns.of(weights)
            let sources = DeviceLatency.sources(runs, imgsz: imgsz)
            let name = (try? ResultFiles.readJSON(StudyManifest.self, from: StudyLayout(weights).manifest))?.study ?? (weights as NSString).lastPathComponent
            do { _ = try LatencyBundle.write(sources, study: name, to: folder) } catch { throw CLIError(error) }
            print("\(folder): \(sources.count) models (\(sources.map(\.name).joined(separator: ", "))), bundle.json, latency.py, README.txt")
            print("On the device: python3 latency.py --threads 1,2,4; then here: studyctl latency \(weights) --from latency.json")
        }

        /// An input (seeded random pixels, or --reference-image letterboxed) and the engine's fused
        /// output for it, as raw float32, with their shapes in shapes.json.
        func writeReference(_ model: Detector, size: Int, folder: String) throws {
            let x: Tensor
            if let referenceImage {
                let image: RGBImage
                do { image = try ImageDecoder().load(referenceImage) } catch { throw CLIError.badInput("error: \(error)") }
                let (h, w) = dynamic ? LetterboxSize.detect(image, size: size) : (size, size)
                x = Batch(images: [letterbox(image, height: h, width: w, scaleUp: true).image], labels: [[]], indices: [0]).images
            } else {
                var rng = Philox(seed: 7)
                x = Tensor(rng.uniform(3 * size * size), shape: [1, 3, size, size])
            }
            let y = Autograd.withoutGrad { model.predict(x) }
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                for (name, t) in [("input.bin", x), ("output.bin", y)] {
                    try ResultFiles.writeAtomically(Data(buffer: UnsafeBufferPointer(start: t.data, count: t.count)), to: folder + "/" + name)
                }
                try ResultFiles.writeJSON(["input": x.shape.dims, "output": y.shape.dims], to: folder + "/shapes.json")
            } catch {
                throw CLIError.failed("error: \(folder): cannot write the reference: \(error)")
            }
            print("reference: \(folder)/input.bin \(x.shape), \(folder)/output.bin \(y.shape)")
        }
    }
}
