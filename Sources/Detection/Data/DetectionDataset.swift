
import Engine
import Foundation

/// One split of a YOLO-format dataset for training or validation: the usable images, their
/// labels, and what was wrong with the others.
///
/// Read with `studyctl eval`'s rules (the same files, label parser and checks): an unreadable image
/// or a bad label line makes that image ignored with a warning, as YOLOv5's loader does; a class id
/// beyond the dataset's classes, a missing folder or a split without any usable image is an error.
public struct DetectionDataset: Sendable {
    public struct Item: Sendable, Equatable {
        public var path: String
        /// Size as displayed (EXIF orientation applied).
        public var width: Int, height: Int
        public var labels: [YOLOLabel]

        public init(path: String, width: Int, height: Int, labels: [YOLOLabel]) {
            (self.path, self.width, self.height, self.labels) = (path, width, height, labels)
        }
    }

    public var split: String
    public var names: [String]
    public var items: [Item]
    /// Why each ignored image was ignored, in path order.
    public var ignored: [InputProblem]
    /// Exact duplicate label rows dropped, as YOLOv5 drops them.
    public var duplicateLabels: Int

    /// A split made in memory (tests, generated data); `load` reads one from disk.
    public init(split: String, names: [String], items: [Item], ignored: [InputProblem] = [], duplicateLabels: Int = 0) {
        (self.split, self.names, self.items, self.ignored, self.duplicateLabels) = (split, names, items, ignored, duplicateLabels)
    }

    public var count: Int { items.count }
    public var instanceCount: Int { items.reduce(0) { $0 + $1.labels.count } }

    /// Reads split `split` of `data`.
    public static func load(_ data: DataYAML, split: String) throws(InputProblem) -> DetectionDataset {
        guard let sources = data.splits[split] else {
            throw InputProblem(file: data.file, "no '\(split)' split: the file defines \(data.splits.keys.sorted())")
        }
        let paths = try DatasetSplit.images(sources, split: split, yamlFile: data.file)
        guard !paths.isEmpty else {
            throw InputProblem(file: data.file, "\(split): no images (JPEG or PNG) in \(sources.joined(separator: ", "))")
        }
        let classCount = data.names.count
        let loaded = Loading.map(paths) { path in Self.item(path, classCount: classCount) }
        var dataset = DetectionDataset(split: split, names: data.names, items: [], ignored: [], duplicateLabels: 0)
        for result in loaded {
            switch result {
            case .success(let (item, duplicates)):
                dataset.items.append(item)
                dataset.duplicateLabels += duplicates
            case .failure(.fatal(let problem)): throw problem
            case .failure(.ignored(let problem)): dataset.ignored.append(problem)
            }
        }
        guard !dataset.items.isEmpty else {
            throw InputProblem(
                file: data.file,
                "\(split): none of the \(paths.count) images is usable (first problem: \(dataset.ignored.first?.description ?? "-"))")
        }
        return dataset
    }

    enum ItemProblem: Error { case ignored(InputProblem), fatal(InputProblem) }

    static func item(_ path: String, classCount: Int) -> Result<(Item, Int), ItemProblem> {
        let size: (width: Int, height: Int)
        do {
            size = try ImageHeader.size(ofImageAt: path)
        } catch {
            return .failure(.ignored(error))
        }
        guard size.width >= 10, size.height >= 10 else {
            return .failure(.ignored(InputProblem(file: path, "image size \(size.width)×\(size.height) is below 10 pixels")))
        }
        let labelPath = DatasetSplit.labelPath(forImage: path)
        switch Loading.readIfPresent(labelPath) {
        case .success(nil):
            return .success((Item(path: path, width: size.width, height: size.height, labels: []), 0))
        case .failure(let problem):
            return .failure(.ignored(problem))
        case .success(let bytes?):
            let parsed = LabelFile.parseLabels(bytes, file: labelPath, classCount: classCount)
            if let problem = parsed.classProblems.first { return .failure(.fatal(problem)) }
            if let problem = parsed.problems.first { return .failure(.ignored(problem)) }
            return .success((Item(path: path, width: size.width, height: size.height, labels: parsed.labels), parsed.duplicatesRemoved))
        }
    }

    /// SHA-256 over the sorted image and label files' bytes and the class names: the same
    /// dataset gives the same fingerprint on any machine.
    public func fingerprint() -> String {
        var hash = SHA256()
        for name in names { hash.update(data: Array((name + "\n").utf8)) }
        for item in items {
            for file in [item.path, DatasetSplit.labelPath(forImage: item.path)] {
                hash.update(data: Array(DatasetSplit.stem(file).utf8))
                if let bytes = try? readWholeFile(file) { hash.update(data: bytes) }
            }
        }
        return hash.hexDigest()
    }
}
