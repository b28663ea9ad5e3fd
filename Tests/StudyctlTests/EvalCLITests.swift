import Foundation
import Testing

/// `studyctl eval` run as a user runs it, on datasets written by the test.
struct EvalCLITests {
    let cli = CLITests()

    /// The "mixed" scenario of the Detection fixture (YOLOv5 v7.0 and pycocotools figures).
    nonisolated(unsafe) static let mixed: [String: Any] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("DetectionTests/Fixtures/reference_metrics.json")
        guard let data = try? Data(contentsOf: url),
            let fixture = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let scenarios = fixture["scenarios"] as? [[String: Any]],
            let mixed = scenarios.first(where: { $0["name"] as? String == "mixed" })
        else {
            fatalError("cannot read the mixed scenario of \(url.path)")
        }
        return mixed
    }()

    /// The mixed scenario as files: no label file for images without labels, no prediction file
    /// for images without predictions.
    func mixedDataset() throws -> TinyDataset {
        let images = (Self.mixed["images"] as? [[String: Any]] ?? []).enumerated().map { i, image in
            func lines(_ key: String) -> [String]? {
                let rows = image[key] as? [[Double]] ?? []
                return rows.isEmpty
                    ? nil
                    : rows.map { row in
                        ([String(Int(row[0]))] + row.dropFirst().map { "\($0)" }).joined(separator: " ")
                    }
            }
            return TinyDataset.Image(
                name: String(format: "img%03d", i), width: image["width"] as? Int ?? 0,
                height: image["height"] as? Int ?? 0, labels: lines("labels"),
                predictions: lines("predictions"), png: i % 5 == 0)
        }
        return try TinyDataset(names: ["cat", "dog", "bird", "fish"], images: images)
    }

    func number(_ any: Any?) -> Double { (any as? NSNumber)?.doubleValue ?? .nan }

    @Test func jsonCarriesBothProtocolsAndMatchesTheReferences() throws {
        let dataset = try mixedDataset()
        defer { dataset.remove() }
        let (status, output) = try cli.studyctl(
            "eval", "--data", dataset.yaml, "--predictions", dataset.predictions,
            "--format", "json")
        #expect(status == 0, "\(output)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let yolo = try #require(Self.mixed["yolov5"] as? [String: Any])
        let coco = try #require(Self.mixed["coco"] as? [String: Any])
        for (ours, theirs) in [("precision", "mp"), ("recall", "mr"), ("map50", "map50"), ("map50_95", "map50_95")] {
            #expect(abs(number(json[ours]) - number(yolo[theirs])) < 1e-9, "\(ours): \(json[ours] ?? "none")")
        }
        let cocoJSON = try #require(json["coco"] as? [String: Any])
        #expect(abs(number(cocoJSON["map50"]) - number(coco["map50"])) < 1e-9)
        #expect(abs(number(cocoJSON["map50_95"]) - number(coco["map50_95"])) < 1e-9)
        let perClass = try #require(json["per_class"] as? [[String: Any]])
        #expect(perClass.map { $0["name"] as? String } == ["cat", "dog", "bird"], "fish has no labels")
        for (row, ap50) in zip(perClass, yolo["ap50"] as? [Double] ?? []) {
            #expect(abs(number(row["ap50"]) - ap50) < 1e-9)
            #expect(Set(row.keys).isSuperset(of: ["name", "instances", "precision", "recall", "ap50", "ap50_95"]))
        }
        #expect(json["images"] as? Int == 50)
    }

    @Test func textIsYOLOv5sValidationTable() throws {
        let dataset = try mixedDataset()
        defer { dataset.remove() }
        let (status, output) = try cli.studyctl("eval", "--data", dataset.yaml, "--predictions", dataset.predictions)
        #expect(status == 0, "\(output)")
        let lines = output.split(separator: "\n").map(String.init)
        #expect(
            lines.first == "                 Class     Images  Instances          P          R      mAP50   mAP50-95")
        let yolo = try #require(Self.mixed["yolov5"] as? [String: Any])
        let instances = (yolo["instances"] as? [Int] ?? []).reduce(0, +)
        let all =
            "                   all"
            + String(
                format: "%11d%11d%11.3g%11.3g%11.3g%11.3g", 50, instances,
                number(yolo["mp"]), number(yolo["mr"]), number(yolo["map50"]),
                number(yolo["map50_95"]))
        #expect(lines.count == 5 && lines[1] == all, "\(output)")
        #expect(lines[2].hasPrefix("                   cat         50"))

        let (cocoStatus, cocoOutput) = try cli.studyctl(
            "eval", "--data", dataset.yaml, "--predictions",
            dataset.predictions, "--protocol", "coco")
        #expect(cocoStatus == 0)
        let coco = try #require(Self.mixed["coco"] as? [String: Any])
        let cocoAll =
            "                   all" + String(format: "%11d%11d", 50, instances) + "          -          -"
            + String(format: "%11.3g%11.3g", number(coco["map50"]), number(coco["map50_95"]))
        #expect(cocoOutput.split(separator: "\n").map(String.init).dropFirst().first == cocoAll, "\(cocoOutput)")
    }

    @Test func aPerfectDetectorScores0995InYOLOv5AndOneInCOCO() throws {
        let lines = ["0 0.5 0.5 0.25 0.5", "0 0.2 0.2 0.1 0.1"]
        let dataset = try TinyDataset(
            names: ["thing"],
            images: [
                .init(
                    name: "a", width: 64, height: 48, labels: lines, predictions: lines.map { $0 + " 0.9" }, png: true),
                .init(name: "b", width: 32, height: 32, labels: nil, predictions: nil),
            ])
        defer { dataset.remove() }
        let (status, output) = try cli.studyctl(
            "eval", "--data", dataset.yaml, "--predictions", dataset.predictions,
            "--format", "json")
        #expect(status == 0, "\(output)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(abs(number(json["map50"]) - 0.995) < 1e-12 && abs(number(json["map50_95"]) - 0.995) < 1e-12)
        #expect(number((json["coco"] as? [String: Any])?["map50_95"]) == 1)
        #expect(json["images"] as? Int == 2)
    }

    @Test func badLinesExitTwoNamingFileAndLine() throws {
        let dataset = try TinyDataset(
            names: ["a", "b"],
            images: [
                .init(
                    name: "good", width: 40, height: 30, labels: ["0 0.5 0.5 0.2 0.2"],
                    predictions: ["0 0.5 0.5 0.2 0.2 0.8"]),
                .init(
                    name: "bad", width: 40, height: 30, labels: ["0 0.5 0.5 0.2 0.2", "1 0.5 0.5 0.2"],
                    predictions: ["5 0.5 0.5 0.2 0.2 0.8"]),
            ])
        defer { dataset.remove() }
        let (status, output) = try cli.studyctl("eval", "--data", dataset.yaml, "--predictions", dataset.predictions)
        #expect(status == 2, "\(output)")
        #expect(output.contains("labels/val/bad.txt:2: expected 5 fields (class cx cy w h), found 4"), "\(output)")
        #expect(output.contains("predictions/bad.txt:1: class id 5 is out of range"), "\(output)")
        #expect(!output.contains("Fatal error"))

        let (skipStatus, skipOutput) = try cli.studyctl(
            "eval", "--data", dataset.yaml, "--predictions",
            dataset.predictions, "--skip-invalid", "--format", "json")
        #expect(skipStatus == 0, "\(skipOutput)")
        #expect(skipOutput.contains("warning: skipped 1 images and 0 prediction lines for 2 problems"))
        #expect(skipOutput.contains("\"images\" : 1"))
    }

    @Test func atMostTwentyProblemsAreListedWithTheirCount() throws {
        let dataset = try TinyDataset(
            names: ["a"],
            images: [
                .init(
                    name: "many", width: 40, height: 30, labels: (0..<25).map { _ in "0 0.5 x 0.2 0.2" },
                    predictions: nil)
            ])
        defer { dataset.remove() }
        let (status, output) = try cli.studyctl("eval", "--data", dataset.yaml, "--predictions", dataset.predictions)
        #expect(status == 2)
        #expect(output.components(separatedBy: "is not a number").count - 1 == 20)
        #expect(output.contains("... and 5 more (25 problems in all)"))
    }

    @Test func missingFoldersAndFilesExitTwo() throws {
        let dataset = try TinyDataset(
            names: ["a"], images: [.init(name: "a", width: 40, height: 30, labels: nil, predictions: nil)])
        defer { dataset.remove() }
        let noPredictions = try cli.studyctl(
            "eval", "--data", dataset.yaml, "--predictions", dataset.root.path + "/nope")
        #expect(noPredictions.status == 2 && noPredictions.output.contains("/nope: no such folder of predictions"))
        let noYaml = try cli.studyctl(
            "eval", "--data", dataset.root.path + "/missing.yaml", "--predictions", dataset.predictions)
        #expect(noYaml.status == 2 && noYaml.output.contains("missing.yaml: cannot read"))
        let noSplit = try cli.studyctl(
            "eval", "--data", dataset.yaml, "--predictions", dataset.predictions, "--split", "test")
        #expect(noSplit.status == 2 && noSplit.output.contains("no 'test' split"))
        let empty = try cli.studyctl("eval", "--data", dataset.yaml, "--predictions", dataset.predictions)
        #expect(empty.status == 0 && empty.output.contains("warning: no prediction files (*.txt) in"))
        try dataset.write("not an image", to: "images/val/a.jpg")
        let unreadable = try cli.studyctl("eval", "--data", dataset.yaml, "--predictions", dataset.predictions)
        #expect(unreadable.status == 2 && unreadable.output.contains("images/val/a.jpg: cannot read the image size"))
    }

    @Test func helpExplainsYOLOv5QuirksAndCOCO() throws {
        let (status, help) = try cli.studyctl("eval", "--help")
        #expect(status == 0)
        let output = help.split(whereSeparator: \.isWhitespace).joined(separator: " ")  // undo the wrapping
        for phrase in ["0.995", "absent from the", "pixel boxes", "pycocotools", "--skip-invalid", "file:line"] {
            #expect(output.contains(phrase), "help lacks \(phrase)")
        }
    }
}
