import Foundation
import Yams

/// A dataset description as Ultralytics writes `data.yaml`: `path` (the dataset root, relative to
/// the yaml file; the yaml's folder when absent), `train` / `val` / `test` (folders of images or
/// .txt lists of image paths, one or a list, relative to the root) and `names` (a list, or a map
/// from class id to name).
public struct DataYAML: Sendable, Equatable {
    /// The yaml file, as given.
    public var file: String
    /// The dataset root, absolute.
    public var root: String
    /// Class names; the class id is the index.
    public var names: [String]
    /// Each split's sources (image folders or .txt lists), absolute, in the order given.
    public var splits: [String: [String]]

    /// Reads and checks `file`.
    public static func load(_ file: String) throws(InputProblem) -> DataYAML {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw InputProblem(file: file, "cannot read the dataset file (does it exist?)")
        }
        let text = String(decoding: data, as: UTF8.self)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw yamlProblem(error, file: file)
        } catch {
            throw InputProblem(file: file, "not valid YAML: \(error)")
        }
        guard let node, case .mapping(let top) = node else {
            throw InputProblem(file: file, line: node?.mark?.line, "expected a mapping with path, train, val and names")
        }
        func problem(_ node: Node?, _ message: String) -> InputProblem {
            InputProblem(file: file, line: node?.mark?.line, message)
        }

        let yamlFolder = URL(fileURLWithPath: file).deletingLastPathComponent()
        var root = yamlFolder
        if let pathNode = top["path"], pathNode.null == nil {
            guard let path = pathNode.string else { throw problem(pathNode, "path: expected a folder name") }
            root = URL(fileURLWithPath: path, isDirectory: true, relativeTo: yamlFolder).standardizedFileURL
        }

        let names = try parseNames(top["names"], file: file)
        if names.isEmpty { throw problem(top["names"], "names: no classes") }
        if let ncNode = top["nc"], ncNode.null == nil {
            guard let nc = ncNode.int else { throw problem(ncNode, "nc: expected a whole number") }
            guard nc == names.count else {
                throw problem(ncNode, "nc: \(nc), but names lists \(names.count) classes")
            }
        }

        var splits: [String: [String]] = [:]
        for key in ["train", "val", "test"] {
            guard let value = top[key], value.null == nil else { continue }
            let entries: [Node]
            switch value {
            case .scalar: entries = [value]
            case .sequence(let sequence): entries = Array(sequence)
            case .mapping: throw problem(value, "\(key): expected a folder, a .txt list, or a list of them")
            }
            splits[key] = try entries.map { entry throws(InputProblem) -> String in
                guard let relative = entry.string, !relative.isEmpty else {
                    throw problem(entry, "\(key): expected a folder or .txt file name")
                }
                return resolve(relative, root: root)
            }
        }
        return DataYAML(file: file, root: root.path, names: names, splits: splits)
    }

    /// `names` as a list, or as a map whose keys are 0, 1, ... in any order.
    static func parseNames(_ node: Node?, file: String) throws(InputProblem) -> [String] {
        guard let node else { throw InputProblem(file: file, "no names: list the class names") }
        let line = node.mark?.line
        switch node {
        case .sequence(let sequence):
            return try sequence.map { entry throws(InputProblem) -> String in
                guard let name = entry.string else {
                    throw InputProblem(file: file, line: entry.mark?.line, "names: expected a class name")
                }
                return name
            }
        case .mapping(let mapping):
            var byID: [Int: String] = [:]
            for (key, value) in mapping {
                guard let id = key.int, let name = value.string else {
                    throw InputProblem(file: file, line: key.mark?.line, "names: expected `id: name` pairs")
                }
                byID[id] = name
            }
            let ids = byID.keys.sorted()
            guard ids == Array(0..<ids.count) else {
                throw InputProblem(file: file, line: line, "names: class ids must be 0, 1, ..., \(ids.count - 1)")
            }
            return ids.compactMap { byID[$0] }
        case .scalar:
            throw InputProblem(file: file, line: line, "names: expected a list or a map of class names")
        }
    }

    /// `root/relative`, standardised; YOLOv5 also tries without a leading `../` when that path
    /// does not exist.
    // yolov5 v7.0 utils/general.py check_dataset
    static func resolve(_ relative: String, root: URL) -> String {
        let path = URL(fileURLWithPath: relative, relativeTo: root).standardizedFileURL.path
        if !FileManager.default.fileExists(atPath: path) && relative.hasPrefix("../") {
            return URL(fileURLWithPath: String(relative.dropFirst(3)), relativeTo: root).standardizedFileURL.path
        }
        return path
    }

    static func yamlProblem(_ error: YamlError, file: String) -> InputProblem {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return InputProblem(file: file, line: mark.line, "not valid YAML: \(problem)")
        default:
            return InputProblem(file: file, "not valid YAML: \(error)")
        }
    }
}
