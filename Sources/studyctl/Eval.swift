import ArgumentParser
import Detection
import Foundation

extension StudyCtl {
    /// `studyctl eval`: scores saved predictions against a YOLO-format dataset, as YOLOv5 or COCO would.
    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Score a detector's saved predictions against a YOLO-format dataset (YOLOv5 or COCO metrics).",
            discussion: """
                Ground truth comes from the dataset's label files (class cx cy w h, normalised), found \
                by YOLOv5's rule: the last /images/ in an image path becomes /labels/ and the extension \
                .txt. Predictions are YOLOv5 `--save-txt --save-conf` files in one folder, one per image \
                named after it (<stem>.txt: class cx cy w h conf, normalised); an image without one has \
                no predictions. Each image's size is read from its header (JPEG, PNG, BMP, WebP) without \
                decoding it, and boxes are scaled to pixels.

                --protocol yolov5 (default) reproduces YOLOv5 v7.0's val.py figures to the digit on the boxes read, \
                quirks included:
                  * AP interpolates the precision envelope at 101 recall points with sentinels at \
                recall 0 and 1 and integrates with the trapezoidal rule, so a perfect detector scores \
                AP 0.995, not 1.
                  * Only classes that have labels are averaged; predictions of classes absent from the \
                labels are ignored (they are not false positives anywhere).
                  * IoU is computed in Float32 on pixel boxes (x1 y1 x2 y2, no +1, 1e-7 added to the \
                union), boxes clipped to the image; a match needs IoU >= 0.50, 0.55, ..., 0.95.
                  * A prediction keeps its best label; each label keeps the first (most confident) \
                prediction that chose it; predictions are taken in file order, as YOLOv5 saves them.
                  * P and R are read at the single confidence that maximises the mean F1 over classes \
                after smoothing; the same confidence for every class.

                --protocol coco reproduces pycocotools' COCOeval for boxes (area "all", at most 100 \
                detections per image and class, the most confident): each detection in score order \
                takes the unmatched ground truth of highest IoU, IoU in Float64 on x y w h boxes, \
                precision at 101 recall points without the trapezoid (a perfect detector scores 1). \
                Classes without ground truth are left out of the mean, like YOLOv5. COCO defines no \
                single P and R, so the table shows "-" there.

                --format json always carries both protocols: YOLOv5's precision, recall, map50, \
                map50_95, fitness and per_class at the top level, pycocotools' figures under "coco".

                Bad input (a malformed line, a class id out of range, a label value cx cy w h \
                outside 0...1 or a predicted box outside the image beyond rounding, a missing folder, an unreadable image) exits 2 listing up to 20 problems as \
                file:line: what is wrong. --skip-invalid leaves out images whose label file or image is \
                invalid and prediction lines that are, with a warning and a count, as YOLOv5 skips \
                corrupt labels. More in docs/evaluation.md.
                """
        )

        @Option(help: "The dataset's data.yaml (path, train/val, names).")
        var data: String

        @Option(help: "Folder of prediction files, <image stem>.txt with lines: class cx cy w h conf.")
        var predictions: String

        @Option(help: "Which split of data.yaml to score.")
        var split: String = "val"

        @Option(help: "Metrics for the text table: yolov5 (val.py) or coco (pycocotools).")
        var `protocol`: EvalProtocol = .yolov5

        @Option(help: "text: YOLOv5's validation table; json: both protocols, every figure.")
        var format: EvalFormat = .text

        @Flag(help: "Leave out invalid images and prediction lines with a warning instead of exiting 2.")
        var skipInvalid = false

        @Flag(help: "Print the per-class rows even with 50 classes or more (val.py --verbose).")
        var verbose = false

        func run() throws {
            let loaded = Result { () throws(InputProblem) -> (DataYAML, EvaluationInput) in
                let dataset = try DataYAML.load(data)
                return (dataset, try EvaluationInput.load(data: dataset, split: split, predictionsFolder: predictions))
            }
            let dataset: DataYAML
            let input: EvaluationInput
            switch loaded {
            case .failure(let problem): throw badInput([problem], skippable: false)
            case .success(let value): (dataset, input) = value
            }
            try report(input)
            if input.images.isEmpty {
                throw badInput([InputProblem(file: data, "\(split): no images to evaluate")], skippable: false)
            }

            let names = dataset.names
            switch (format, self.protocol) {
            case (.json, _):
                let yolo = yolov5Evaluate(input.images, classCount: names.count)
                let coco = cocoEvaluate(input.images.map(\.cocoAnnotations), classCount: names.count)
                print(try EvalJSON(yolo: yolo, coco: coco, names: names, skipped: input).encoded())
            case (.text, .coco):
                let coco = cocoEvaluate(input.images.map(\.cocoAnnotations), classCount: names.count)
                print(EvalTable.coco(coco, images: input.images.count, names: names, verbose: verbose))
            case (.text, .yolov5):
                print(EvalTable.yolov5(yolov5Evaluate(input.images, classCount: names.count), names: names, verbose: verbose))
            }
        }

        /// Prints what was wrong with the input; throws exit code 2 unless `--skip-invalid`.
        private func report(_ input: EvaluationInput) throws {
            if !input.problems.isEmpty {
                guard skipInvalid else { throw badInput(input.problems) }
                for problem in input.problems.prefix(20) { warn("warning: \(problem)") }
                warn(
                    "warning: skipped \(input.skippedImages) images and \(input.skippedPredictions) prediction "
                        + "lines for \(input.problems.count) problems (--skip-invalid)")
            }
            if input.duplicateLabels > 0 {
                warn("warning: \(input.duplicateLabels) duplicate labels removed, as YOLOv5 removes them")
            }
            if input.predictionFileCount == 0 {
                let labels = predictions + "/labels"
                let hint = FileManager.default.fileExists(atPath: labels) ? " (did you mean \(labels)?)" : ""
                warn("warning: no prediction files (*.txt) in \(predictions)\(hint); every image counts as having none")
            }
            if let first = input.unmatchedPredictionFiles.first {
                warn(
                    "warning: \(input.unmatchedPredictionFiles.count) prediction files match no image of "
                        + "split '\(split)' (first: \(first))")
            }
        }

        /// Prints up to 20 problems and their count, and returns exit code 2. `skippable`: whether
        /// `--skip-invalid` would get past them (bad lines and images, not a missing data.yaml).
        private func badInput(_ problems: [InputProblem], skippable: Bool = true) -> ExitCode {
            for problem in problems.prefix(20) { warn("\(problem)") }
            if problems.count > 20 { warn("... and \(problems.count - 20) more (\(problems.count) problems in all)") }
            if skippable { warn("error: invalid input; fix it, or pass --skip-invalid to leave out invalid images and lines") }
            return ExitCode(2)
        }
    }
}

/// The metrics the text table shows.
enum EvalProtocol: String, ExpressibleByArgument, CaseIterable {
    case yolov5, coco
}

/// How `eval` prints its results.
enum EvalFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Writes a line to standard error.
func warn(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
