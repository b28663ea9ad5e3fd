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
                let base = URL(fileURLWithPath: source)
                guard
                    let walker = manager.enumerator(
                        at: base, includingPropertiesForKeys: [.isRegularFileKey],
                        options: [.skipsHiddenFiles])
                else {
                    throw InputProblem(file: source, "cannot list the folder")
                }
                for case let url as URL in walker
                where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
                    files.append(url.path)
                }
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
