import Dispatch
import Engine
import Foundation

/// Ground truth from a YOLO-format dataset split and predictions from a folder of YOLOv5
/// `--save-txt --save-conf` files (`<image stem>.txt`; an image without one has no predictions),
/// with every image's pixel size read from its header.
public struct EvaluationInput: Sendable {
    /// The images evaluated, sorted by path (YOLOv5's loader order).
    public var images: [AnnotatedImage]
    /// Everything wrong that was found, in image order.
    public var problems: [InputProblem]
    /// Images left out because their label file or image was invalid.
    public var skippedImages: Int
    /// Prediction lines left out because they were invalid.
    public var skippedPredictions: Int
    /// Exact duplicate label rows dropped, as YOLOv5 drops them.
    public var duplicateLabels: Int
    /// Prediction files whose stem matches no image of the split.
    public var unmatchedPredictionFiles: [String]
    /// How many `.txt` files the prediction folder holds.
    public var predictionFileCount: Int

    /// Loads a split. Problems with single files are collected, not thrown: images with invalid
    /// labels or unreadable headers are left out, invalid prediction lines are dropped, and the
    /// caller decides whether to go on. A missing split, image folder or prediction folder throws.
    public static func load(
        data: DataYAML, split: String, predictionsFolder: String
    ) throws(InputProblem) -> EvaluationInput {
        guard let sources = data.splits[split] else {
            throw InputProblem(file: data.file, "no '\(split)' split: the file defines \(data.splits.keys.sorted())")
        }
        let paths = try DatasetSplit.images(sources, split: split, yamlFile: data.file)
        let predictionFiles = try listPredictionFiles(predictionsFolder)

        var firstWithStem: [String: String] = [:]
        var stemProblems: [String: InputProblem] = [:]
        for path in paths {
            let stem = DatasetSplit.stem(path)
            if let other = firstWithStem[stem] {
                stemProblems[path] = InputProblem(
                    file: path, "has the same name as \(other): their predictions (\(stem).txt) cannot be told apart")
            } else {
                firstWithStem[stem] = path
            }
        }
        let unmatched = predictionFiles.keys.filter { firstWithStem[$0] == nil }.sorted()
            .compactMap { predictionFiles[$0] }

        let classCount = data.names.count
        let stemProblemOf = stemProblems
        let loaded = Loading.map(paths) { path in
            loadImage(
                path, predictionFile: predictionFiles[DatasetSplit.stem(path)],
                classCount: classCount, stemProblem: stemProblemOf[path])
        }
        var result = EvaluationInput(
            images: [], problems: [], skippedImages: 0, skippedPredictions: 0,
            duplicateLabels: 0, unmatchedPredictionFiles: unmatched,
            predictionFileCount: predictionFiles.count)
        result.images.reserveCapacity(loaded.count)
        for item in loaded {
            result.problems += item.problems
            result.skippedPredictions += item.skippedPredictions
            result.duplicateLabels += item.duplicateLabels
            if let image = item.image { result.images.append(image) } else { result.skippedImages += 1 }
        }
        return result
    }

    struct LoadedImage: Sendable {
        var image: AnnotatedImage?
        var problems: [InputProblem]
        var skippedPredictions: Int
        var duplicateLabels: Int
    }

    static func loadImage(
        _ path: String, predictionFile: String?, classCount: Int, stemProblem: InputProblem?
    ) -> LoadedImage {
        var problems: [InputProblem] = stemProblem.map { [$0] } ?? []
        var valid = stemProblem == nil
        var size = (width: 0, height: 0)
        do {
            size = try ImageHeader.size(ofImageAt: path)
        } catch {
            problems.append(error)
            valid = false
        }
        var labels: [YOLOLabel] = []
        var duplicates = 0
        let labelPath = DatasetSplit.labelPath(forImage: path)
        switch Loading.readIfPresent(labelPath) {
        case .success(let bytes?):
            let parsed = LabelFile.parseLabels(bytes, file: labelPath, classCount: classCount)
            labels = parsed.labels
            duplicates = parsed.duplicatesRemoved
            if !parsed.problems.isEmpty {
                problems += parsed.problems
                valid = false
            }
        case .success(nil):
            break  // no label file: an image without objects
        case .failure(let problem):
            problems.append(problem)
            valid = false
        }
        var predictions: [YOLOPrediction] = []
        var skipped = 0
        if let predictionFile {
            switch Loading.readIfPresent(predictionFile) {
            case .success(let bytes?):
                let parsed = LabelFile.parsePredictions(bytes, file: predictionFile, classCount: classCount)
                predictions = parsed.predictions
                problems += parsed.problems
                skipped = parsed.problems.count
            case .success(nil):
                break  // listed a moment ago, gone now: no predictions
            case .failure(let problem):
                problems.append(problem)
                valid = false
            }
        }
        let image =
            valid
            ? AnnotatedImage(
                path: path, width: size.width, height: size.height, labels: labels, predictions: predictions)
            : nil
        return LoadedImage(
            image: image, problems: problems, skippedPredictions: valid ? skipped : 0,
            duplicateLabels: duplicates)
    }

    /// The `.txt` files directly in `folder`, by stem.
    static func listPredictionFiles(_ folder: String) throws(InputProblem) -> [String: String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue,
            let names = try? FileManager.default.contentsOfDirectory(atPath: folder)
        else {
            throw InputProblem(file: folder, "no such folder of predictions")
        }
        var files: [String: String] = [:]
        let base = folder.hasSuffix("/") ? folder : folder + "/"
        for name in names where name.hasSuffix(".txt") {
            files[String(name.dropLast(4))] = base + name
        }
        return files
    }
}
