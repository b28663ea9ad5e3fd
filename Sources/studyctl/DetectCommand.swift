import ArgumentParser
import Detection
import Engine
import Export
import Foundation
import Report
import Results
import Training
import Zoo

extension StudyCtl {
    /// `studyctl detect`: YOLOv5 detect.py's job with trained weights.
    struct Detect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Detect objects in images with trained weights, as YOLOv5's detect.py does.",
            discussion: """
                Each image is letterboxed to --imgsz (padded only to a multiple of 32, as detect.py does), \
                run through the fused model, filtered by NMS (--conf, --iou, the best class of each box) \
                and its boxes scaled back to the original image. Writes OUTPUT/<name>.png with the boxes \
                drawn (one colour per class, the class name and confidence) and, with --save-txt, \
                OUTPUT/labels/<name>.txt in YOLO's format (class cx cy w h, normalised; --save-conf adds \
                the confidence), which `studyctl eval` reads. Unreadable files are skipped with a warning.

                An ONNX model (.onnx, as `studyctl export` or YOLOv5's export.py writes it) runs on the engine \
                op by op, each op's inputs checked first; a graph fixed at S × S takes each image letterboxed \
                to exactly S × S, a --dynamic one as above. Its class names come from its metadata.

                Example:
                  studyctl detect --weights output/quickstart/runs/ghostnet__pan-aspp__s0 --source output/quickstart/dataset/images/val
                """)

        @Option(help: "Weights of studyctl train (.safetensors), a run folder (its best weights), or an ONNX model (studyctl's or YOLOv5's export).")
        var weights: String

        @Option(help: "An image file or a folder of images (JPEG, PNG).")
        var source: String

        @Option(help: "Inference size, a multiple of 32 (default: the run's image size, else 640).")
        var imgsz: Int?

        @Option(help: "Confidence threshold.")
        var conf: Double = 0.25

        @Option(help: "NMS IoU threshold.")
        var iou: Double = 0.45

        @Option(help: "Most detections per image.")
        var maxDet: Int = 1000

        @Flag(help: "Also write labels/<name>.txt.")
        var saveTxt = false

        @Flag(help: "Add the confidence to each --save-txt line.")
        var saveConf = false

        @Option(help: "Output folder.")
        var output: String = "runs/detect"

        @OptionGroup var threads: ThreadsOption

        func validate() throws {
            if let imgsz { do { try DetectorSpec.validate(imageSize: imgsz) } catch { throw ValidationError("--imgsz: \(error)") } }
            guard (0...1).contains(conf) else { throw ValidationError("--conf must be from 0 to 1, got \(conf)") }
            guard (0...1).contains(iou) else { throw ValidationError("--iou must be from 0 to 1, got \(iou)") }
            guard maxDet >= 1 else { throw ValidationError("--max-det must be 1 or more, got \(maxDet)") }
        }

        func run() throws {
            threads.apply()
            let argument = WeightsArgument(weights, imgsz: imgsz)
            let (file, size) = (argument.file, argument.imageSize)
            let images = try imageFiles()
            let model = try DetectionModel.load(file)
            if let fixed = model.fixedSize, let imgsz, imgsz != fixed {
                throw CLIError.badInput("error: \(file) is fixed at \(fixed) px; --imgsz \(imgsz) needs an export at that size (or --dynamic)")
            }
            do {
                try FileManager.default.createDirectory(atPath: output + (saveTxt ? "/labels" : ""), withIntermediateDirectories: true)
            } catch {
                throw CLIError.failed("error: \(output): cannot create the folder: \(error.localizedDescription)")
            }
            let decoder: ImageDecoder
            do { decoder = try ImageDecoder() } catch { throw CLIError.failed("error: \(error)") }
            let options = NMSOptions(confidenceThreshold: Float(conf), iouThreshold: Float(iou), maxDetections: maxDet)
            var skipped = 0, boxes = 0
            let started = Date()
            for (k, path) in images.enumerated() {
                let image: RGBImage
                do { image = try decoder.load(path) } catch {
                    warn("warning: skipping \(error)")
                    skipped += 1
                    continue
                }
                let found = try detect(model, image, size: model.fixedSize ?? size, options: options)
                boxes += found.count
                let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
                try write(image, found, names: model.names, stem: stem)
                let elapsed = Date().timeIntervalSince(started)
                let eta = elapsed / Double(k + 1) * Double(images.count - k - 1)
                progress(String(format: "%d/%d images, %d boxes, %.1f ms/image, ETA %@", k + 1, images.count, boxes,
                                1000 * elapsed / Double(k + 1), clock(eta)))
            }
            progress(nil)
            print("\(images.count - skipped) images, \(boxes) boxes → \(output)\(saveTxt ? " (labels in \(output)/labels)" : "")"
                  + (skipped > 0 ? "; \(skipped) unreadable file(s) skipped" : ""))
        }

        /// The image files of --source, sorted.
        func imageFiles() throws -> [String] {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else {
                throw CLIError.badInput("error: --source \(source): no such file or folder")
            }
            let files = isDirectory.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: source)) ?? []).sorted().map { source + "/" + $0 }
                : [source]
            let images = files.filter(DatasetSplit.isImage)
            guard !images.isEmpty else { throw CLIError.badInput("error: --source \(source): no images (JPEG or PNG)") }
            return images
        }

        /// detect.py on one image: letterbox padded to a multiple of 32, inference, NMS with the best
        /// class of each box, boxes back in the original image (normalised).
        // yolov5 v7.0 detect.py run, utils/augmentations.py letterbox(auto=True), utils/general.py scale_boxes
        func detect(_ model: DetectionModel, _ image: RGBImage, size: Int, options: NMSOptions) throws -> [Gallery.Box] {
            let (lh, lw) = model.fixedSize.map { ($0, $0) } ?? LetterboxSize.detect(image, size: size)
            let boxed = letterbox(image, height: lh, width: lw, scaleUp: true)
            let x = Batch(images: [boxed.image], labels: [[]], indices: [0]).images
            let y = try model.predict(x)
            guard y.shape.rank == 3, y.shape[0] == 1, y.shape[2] > 5 else {
                throw CLIError.badInput("error: \(weights): the model's output is \(y.shape.dims), not [1, N, 5 + classes] (YOLOv5's decoded rows)")
            }
            let kept = Validator.detections(y.data, rows: y.shape[1], classes: y.shape[2] - 5, options: options, multiLabel: false)
            let (w, h) = (Double(image.width), Double(image.height))
            return kept.map { p in
                func sx(_ v: Float) -> Double { min(max((Double(v) - boxed.pad.x) / boxed.ratio, 0), w) / w }
                func sy(_ v: Float) -> Double { min(max((Double(v) - boxed.pad.y) / boxed.ratio, 0), h) / h }
                return Gallery.Box(classID: p.classID, confidence: Double(p.confidence), x1: sx(p.box.x1), y1: sy(p.box.y1),
                                   x2: sx(p.box.x2), y2: sy(p.box.y2))
            }
        }

        /// The drawn image and, with --save-txt, its label file.
        func write(_ image: RGBImage, _ found: [Gallery.Box], names: [String], stem: String) throws {
            let picture = output + "/" + stem + ".png"
            do {
                let source = output + "/.\(stem).source.png"
                try Data(try PNGCodec.encode(image)).write(to: URL(fileURLWithPath: source))
                defer { try? FileManager.default.removeItem(atPath: source) }
                try DetectionPicture.write(image: source, width: image.width, height: image.height, detections: found, names: names,
                                           to: picture)
                if saveTxt {
                    let lines = found.map { b in
                        [Double(b.classID), (b.x1 + b.x2) / 2, (b.y1 + b.y2) / 2, b.x2 - b.x1, b.y2 - b.y1] + (saveConf ? [b.confidence ?? 0] : [])
                    }.map { $0.map { String(format: "%g", $0) }.joined(separator: " ") + "\n" }.joined()
                    try ResultFiles.writeAtomically(Data(lines.utf8), to: output + "/labels/" + stem + ".txt")
                }
            } catch {
                throw CLIError.failed("error: \(picture): cannot write: \(error)")
            }
        }

        /// A progress line, redrawn in place on a terminal (nil ends it).
        func progress(_ text: String?) {
            guard isatty(STDERR_FILENO) != 0 else { return }
            FileHandle.standardError.write(Data((text.map { "\r\u{1B}[K" + $0 } ?? "\n").utf8))
        }
    }
}
