import ArgumentParser
import Detection
import Engine
import Export
import Foundation
import Results
import Training
import Zoo

extension StudyCtl {
    /// `studyctl val`: validates trained weights as val.py does.
    struct Val: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate trained weights on a dataset split, as YOLOv5's val.py does after training.",
            discussion: """
                Reads weights written by `studyctl train` (the model is named in the file), letterboxes \
                the split's images in rect batches (pad 0.5), runs NMS at confidence 0.001 and IoU 0.6 \
                (300 boxes per image) and prints val.py's table with YOLOv5's metrics.
                """
        )

        @Option(help: "Weights written by studyctl train (DIR/weights/best.safetensors), or a YOLOv5 v7.0 yolov5n checkpoint (.pt).")
        var weights: String

        @Option(help: "data.yaml of the dataset.")
        var data: String

        @Option(help: "Which split to validate.")
        var split: String = "val"

        @Option(help: "Image size the letterboxed batches are built for (a multiple of 32).")
        var imgsz: Int = 160

        @Option(help: "Images per batch.")
        var batch: Int = 32

        @Flag(help: "Print the per-class rows even with 50 classes or more.")
        var verbose = false

        @OptionGroup var threads: ThreadsOption

        func validate() throws {
            guard batch >= 1, batch <= 1024 else { throw ValidationError("--batch must be from 1 to 1024, got \(batch)") }
            do { try DetectorSpec.validate(imageSize: imgsz) } catch { throw ValidationError("--imgsz: \(error)") }
        }

        func run() throws {
            threads.apply()
            let yaml = try inputProblem { () throws(InputProblem) in try DataYAML.load(data) }
            let model = try loadModel(classes: yaml.names.count)
            let classes = model.spec.classes
            guard yaml.names.count == classes else {
                throw CLIError.badInput("error: \(data): names \(yaml.names.count) classes, the weights were trained for \(classes)")
            }
            let dataset = try inputProblem { () throws(InputProblem) in try DetectionDataset.load(yaml, split: split) }
            for problem in dataset.ignored.prefix(20) { warn("warning: ignoring \(problem)") }
            let store = ImageStore(dataset, imageSize: imgsz, forTraining: false)
            _ = store.cacheAll()
            let loss = YOLOv5Loss(hyp: Hyperparameters().lossGains(classes: classes, imageSize: imgsz),
                                  anchors: model.detect.gridAnchors, classes: classes)
            let out = Validator(store: store, batchSize: batch).run(model, loss: loss)
            print(EvalTable.yolov5(out.metrics, names: yaml.names, verbose: verbose))
            print(String(format: "Speed: %.1f s for %d images (%.1f ms per image, NMS included)", out.seconds, dataset.count,
                         1000 * out.seconds / Double(max(dataset.count, 1))))
        }

        /// The weights: studyctl's (the model named in the file), or a YOLOv5 v7.0 checkpoint (.pt,
        /// read without running it: yolov5n's layers, its EMA when it has one, as val.py loads it).
        func loadModel(classes: Int) throws -> Detector {
            if weights.hasSuffix(".pt") {
                let model = Detector(spec: DetectorSpec(backbone: BackboneSpec(.cspdarknet), neck: .panSPPF, classes: classes), seed: 0)
                do {
                    let loaded = try YOLOv5Weights.load(try PretrainedWeights.source(weights), into: model, preferEMA: true)
                    guard loaded.reinitialised.isEmpty else {
                        throw PretrainedLoadError("\(weights): its Detect is not for the \(classes) classes of \(data)")
                    }
                } catch {
                    throw CLIError.badInput("error: \(error)")
                }
                return model
            }
            do { return try WeightsExport.unfused(weights).0 } catch { throw CLIError(error) }
        }
    }
}
