import Detection
import Engine
import Foundation
import Results

/// Whether a study's output folder can be reused for a study file, and clearing it.
extension StudyLayout {
    /// Why the results in this folder cannot be reused for `study` (read from `text`, whose relative
    /// paths start at `studyFolder`): the settings that change a finished cell's numbers, as
    /// "key: old → new". Empty for a fresh folder, the same file, or changes that keep every finished
    /// run valid (more cells, another title, rule or report language).
    public func conflicts(with study: StudyFile, text: String, studyFolder: String) -> [String] {
        guard let bytes = FileManager.default.contents(atPath: studyCopy) else { return [] }
        let oldText = String(decoding: bytes, as: UTF8.self)
        guard oldText != text else { return [] }
        guard let old = try? StudyFile.parse(oldText, file: "study.toml", folder: studyFolder) else {
            return ["its study.toml does not read as this one's would (\(changes(from: text)))"]
        }
        return study.recipeChanges(from: old)
    }

    /// Deletes everything a previous study left (for `--fresh`).
    public func clear() throws(StudyRunFailure) {
        for p in written {
            if FileManager.default.fileExists(atPath: p) {
                do { try FileManager.default.removeItem(atPath: p) } catch { throw StudyRunFailure("\(p): cannot delete: \(error.localizedDescription)") }
            }
        }
    }

    /// What differs between the study file in the folder and `text`, line by line, in words.
    public func changes(from text: String) -> String {
        let old = (try? String(contentsOfFile: studyCopy, encoding: .utf8)) ?? ""
        func lines(_ s: String) -> [String] {
            s.split(separator: "\n").map { $0.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? "" }
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let a = lines(old), b = lines(text)
        let removed = a.filter { !b.contains($0) }, added = b.filter { !a.contains($0) }
        var parts: [String] = []
        if let r = removed.first { parts.append("was `\(r)`") }
        if let n = added.first { parts.append("now `\(n)`") }
        let more = max(removed.count, added.count) > 1 ? " and \(max(removed.count, added.count) - 1) more" : ""
        return parts.isEmpty ? "only comments or order differ" : parts.joined(separator: ", ") + more
    }
}
