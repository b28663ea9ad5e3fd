import Detection
import Foundation
import Testing

struct DataYAMLTests {
    /// A fresh folder with `files` (relative path → contents) written into it.
    func folder(_ files: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("studyctl-yaml-\(UUID().uuidString)")
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return root
    }

    @Test func namesAsListOrMapAndPathRelativeToTheYaml() throws {
        let root = try folder([
            "cfg/a.yaml": "path: ../data\ntrain: images/train\nval: [images/val, extra.txt]\nnames: [cat, dog]\n",
            "cfg/b.yaml": "val: images\nnames:\n  1: dog\n  0: cat\n",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let a = try DataYAML.load(root.appendingPathComponent("cfg/a.yaml").path)
        #expect(a.names == ["cat", "dog"])
        #expect(a.root == root.appendingPathComponent("data").standardizedFileURL.path)
        #expect(a.splits["val"] == [a.root + "/images/val", a.root + "/extra.txt"])
        let b = try DataYAML.load(root.appendingPathComponent("cfg/b.yaml").path)
        #expect(b.names == ["cat", "dog"])
        #expect(b.splits["val"] == [root.appendingPathComponent("cfg/images").standardizedFileURL.path])
    }

    @Test func mistakesAreProblemsWithLines() throws {
        let root = try folder([
            "nc.yaml": "val: images\nnc: 3\nnames: [a, b]\n",
            "gap.yaml": "val: images\nnames:\n  0: a\n  2: c\n",
            "broken.yaml": "val: images\nnames: [a, b\n",
            "nonames.yaml": "val: images\n",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        func problem(_ name: String) -> InputProblem? {
            do {
                _ = try DataYAML.load(root.appendingPathComponent(name).path)
                return nil
            } catch {
                return error
            }
        }
        #expect(problem("nc.yaml")?.line == 2)
        #expect(problem("gap.yaml")?.message.contains("0, 1") == true)
        #expect(problem("broken.yaml")?.line != nil)
        #expect(problem("nonames.yaml")?.message.contains("names") == true)
        #expect(problem("missing.yaml") != nil)
    }

    @Test func imagesAreFoundAsYOLOv5FindsThem() throws {
        let root = try folder([
            "images/val/b.jpg": "", "images/val/sub/a.PNG": "", "images/val/notes.md": "", "images/val/.hidden.jpg": "",
            "list.txt": "./images/val/b.jpg\n./images/val/sub/a.PNG\n",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let base = root.standardizedFileURL.path
        let fromFolder = try DatasetSplit.images([base + "/images/val"], split: "val", yamlFile: "data.yaml")
        #expect(fromFolder == [base + "/images/val/b.jpg", base + "/images/val/sub/a.PNG"])
        let fromList = try DatasetSplit.images([base + "/list.txt"], split: "val", yamlFile: "data.yaml")
        #expect(fromList == fromFolder)
        #expect(throws: InputProblem.self) {
            try DatasetSplit.images([base + "/nope"], split: "val", yamlFile: "d.yaml")
        }
        #expect(DatasetSplit.labelPath(forImage: "/d/images/x/images/val/a.b.jpg") == "/d/images/x/labels/val/a.b.txt")
        #expect(DatasetSplit.stem("/d/images/val/a.b.jpg") == "a.b")
    }
}
