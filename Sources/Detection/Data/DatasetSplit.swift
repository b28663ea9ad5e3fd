import Foundation

/// The images of one split of a YOLO-format dataset and where their labels are, found as
/// YOLOv5's loader finds them.
public enum DatasetSplit {
    /// The file extensions YOLOv5 takes as images (compared lower-cased).
    public static let imageFormats: Set<String> = [
        "bmp", "dng", "jpeg", "jpg", "mpo", "png", "tif", "tiff", "webp", "pfm",
    ]

    /// The image files of `sources` (folders searched recursively, or .txt lists of paths where a
    /// leading `./` means the list's folder), sorted as Python sorts strings. A source that does
    /// not exist is a problem.
    // yolov5 v7.0 utils/dataloaders.py LoadImagesAndLabels.__init__
    public static func images(_ sources: [String], split: String, yamlFile: String) throws(InputProblem) -> [String] {
        var files: [String] = []
        let manager = FileManager.default
        for source in sources {
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: source, isDirectory: &isFolder) else {
                throw InputProblem(file: yamlFile, "\(split): \(source) does not exist")
            }
            if isFolder.boolValue {
                files += try regularFiles(under: source)
            } else {
                guard let data = manager.contents(atPath: source) else {
                    throw InputProblem(file: source, "cannot read the image list")
                }
                let parent = URL(fileURLWithPath: source).deletingLastPathComponent().path + "/"
                for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
                    let entry = line.trimmingCharacters(in: .whitespaces)
                    if entry.isEmpty { continue }
                    files.append(entry.hasPrefix("./") ? parent + entry.dropFirst(2) : entry)
                }
            }
        }
        return files.filter { isImage($0) }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Whether YOLOv5 takes `path` as an image, by its extension.
    public static func isImage(_ path: String) -> Bool {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return false }
        return imageFormats.contains(path[path.index(after: dot)...].lowercased())
    }

    /// The label file of an image: the last `/images/` becomes `/labels/`, the extension `.txt`.
    // yolov5 v7.0 utils/dataloaders.py img2label_paths
    public static func labelPath(forImage path: String) -> String {
        var result = path
        if let range = path.range(of: "/images/", options: .backwards) {
            result.replaceSubrange(range, with: "/labels/")
        }
        if let dot = result.lastIndex(of: ".") { result = String(result[..<dot]) }
        return result + ".txt"
    }

    /// An image's file name without folder and extension, which names its prediction file.
    public static func stem(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }
}

extension DatasetSplit {
    /// Every regular file under `folder`, recursively, following symbolic links to files and
    /// folders as Python's `glob(recursive=True)` does; hidden names are skipped, as glob skips them.
    static func regularFiles(under folder: String) throws(InputProblem) -> [String] {
        var files: [String] = []
        var visited: Set<[UInt64]> = []
        var pending = [folder]
        while let current = pending.popLast() {
            var info = stat()
            guard stat(current, &info) == 0 else { continue }
            guard visited.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted else { continue }
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: current) else {
                throw InputProblem(file: current, "cannot list the folder")
            }
            let base = current.hasSuffix("/") ? current : current + "/"
            for name in names where !name.hasPrefix(".") {
                let path = base + name
                var entry = stat()
                guard stat(path, &entry) == 0 else { continue }
                switch entry.st_mode & S_IFMT {
                case S_IFREG: files.append(path)
                case S_IFDIR: pending.append(path)
                default: continue
                }
            }
        }
        return files
    }
}
