import Foundation
import Study
import Testing

/// Malformed study files, each with the one error line it must give.
struct StudyFileTests {
    static let valid = """
        [study]
        name = "t"
        seed = 0

        [data.synthetic]
        kind = "shapes"
        train = 10

        [train]
        epochs = 3
        batch = 8
        imgsz = 64

        [grid]
        backbone = ["cspdarknet", "ghostnet"]
        neck = ["pan-sppf", "pan-aspp@1,2,3"]

        [recommend]
        metric = "map50_95"
        """

    /// Writes `text` as study.toml in a fresh folder and loads it.
    static func load(_ text: String) -> Result<StudyFile, StudyFileError> {
        let dir = NSTemporaryDirectory() + "studyfile-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try? text.write(toFile: dir + "/study.toml", atomically: true, encoding: .utf8)
        return Result { () throws(StudyFileError) in try StudyFile.load(dir + "/study.toml") }
    }

    @Test func theValidFileGivesItsGrid() throws {
        let study = try Self.load(Self.valid).get()
        #expect(study.cells.map(\.name) == [
            "cspdarknet__pan-sppf__s0", "cspdarknet__pan-aspp__s0", "ghostnet__pan-sppf__s0", "ghostnet__pan-aspp__s0",
        ])
        #expect(study.epochs == 3 && study.batch == 8 && study.imageSize == 64 && study.hyp[.lr0] == 0.01)
        #expect(study.nominalBatch == 64, "YOLOv5's nominal batch unless [train] nbs says otherwise")
        #expect(study.data == .shapes(train: 10, val: 100, imageSize: 160, seed: 0, preset: .hard))
    }

    @Test func theShortRecipeKeysAreRead() throws {
        let text = Self.valid.replacingOccurrences(of: "batch = 8", with: "batch = 8\nnbs = 8")
            .replacingOccurrences(of: "train = 10", with: "train = 10\npreset = \"easy\"")
        let study = try Self.load(text).get()
        #expect(study.nominalBatch == 8)
        #expect(study.data == .shapes(train: 10, val: 100, imageSize: 160, seed: 0, preset: .easy))
        let changes = study.recipeChanges(from: try Self.load(Self.valid).get())
        #expect(changes.contains("[train] nbs: 64 → 8"))
        #expect(changes.contains { $0.hasPrefix("[data]: shapes (hard,") })
    }

    static let cases: [(String, String, String)] = [
        ("epochs = 3", "epoch = 3", "unknown key `epoch` in [train] at study.toml:10 — did you mean `epochs`?"),
        ("[recommend]", "[recomend]", "unknown table [recomend] at study.toml:18 — did you mean [recommend]?"),
        ("epochs = 3", "epochs = \"three\"", "`epochs` must be a whole number, got \"three\" in [train] at study.toml:10"),
        ("epochs = 3", "epochs = 0", "`epochs` = 0 is out of range 1...10000 in [train] at study.toml:10"),
        ("imgsz = 64", "imgsz = 100", "`imgsz` = 100 must be a multiple of 32 in [train] at study.toml:12"),
        ("\"ghostnet\"]", "\"ghostnett\"]", "ghostnett"),
        ("neck = [\"pan-sppf\", \"pan-aspp@1,2,3\"]", "neck = []", "`neck` is empty: the grid needs at least one value in [grid] at study.toml:16"),
        ("metric = \"map50_95\"", "metric = \"map\"", "`metric` = \"map\" is not one of map50_95, map50, f1 in [recommend] at study.toml:19 — did you mean `map50`?"),
        ("epochs = 3", "epochs = 3\nlr0 = -1", "lr0: -1.0 must be a number ≥ 0 in [train] at study.toml:11"),
        ("epochs = 3", "epochs = 3\nmosiac = 0.5", "unknown key `mosiac` in [train] at study.toml:11 — did you mean `mosaic`?"),
        ("name = \"t\"", "name = \"a/b\"", "`name` = \"a/b\" names the output folder: use letters, digits, - _ . only in [study] at study.toml:2"),
        ("[data.synthetic]\nkind = \"shapes\"\ntrain = 10", "[data]\nyaml = \"missing/data.yaml\"", "does not exist (`yaml` is relative to the study file) in [data] at study.toml:6"),
        ("seed = 0", "seed = 0\nrepeats = 0", "`repeats` = 0 is out of range 1...100 in [study] at study.toml:4"),
        ("[grid]", "[grid\n", "study.toml:14: not valid TOML"),
        ("train = 10", "train = 10\npreset = \"eazy\"", "`preset` = \"eazy\" is not one of hard, easy in [data.synthetic] at study.toml:8 — did you mean `easy`?"),
        ("batch = 8", "batch = 8\nnbs = 0", "`nbs` = 0 is out of range 1...4096 in [train] at study.toml:12"),
        ("batch = 8", "batch = 8\nfreeze = 12", "`freeze` = 12 is more than the 10 layers cspdarknet has to freeze (its backbone's and the context block) in [train] at study.toml:12"),
        ("batch = 8", "batch = 8\npretrained = \"coco\"", "`pretrained` = \"coco\": write \"imagenet\", or a table [train.pretrained]"),
        ("[grid]", "[train.pretrained]\nmobilenetv2 = \"imagenet\"\n[grid]",
         "`mobilenetv2` is not a backbone of [grid] (cspdarknet, ghostnet) in [train.pretrained] at study.toml:15"),
        ("[grid]", "[train.pretrained]\ncspdarknet = \"imagenet\"\n[grid]",
         "cspdarknet has no published ImageNet weights: name a weights file, or leave it out to train it from scratch in [train.pretrained] at study.toml:15"),
    ]

    /// `pretrained = "imagenet"` asks for every backbone that has published weights; a table names
    /// files per backbone, relative to the study file; either is part of the recipe.
    @Test func pretrainedWeightsAreReadPerBackbone() throws {
        let all = try Self.load(Self.valid.replacingOccurrences(of: "batch = 8", with: "batch = 8\npretrained = \"imagenet\"")).get()
        #expect(all.pretrained == ["ghostnet": "imagenet"])
        let table = try Self.load(Self.valid.replacingOccurrences(of: "[grid]", with: "[train.pretrained]\nghostnet = \"w/ghost.pth\"\n[grid]")).get()
        #expect(table.pretrained["ghostnet"]?.hasSuffix("/w/ghost.pth") == true && table.pretrained["ghostnet"]?.hasPrefix("/") == true)
        #expect(table.recipeChanges(from: try Self.load(Self.valid).get()).contains { $0.hasPrefix("[train] pretrained of ghostnet: none → /") })
    }

    /// A data.yaml whose `names` is a number is refused when the study file is read (YOLOv5's
    /// check_dataset stops on it too), naming the dataset file, its line and the key.
    @Test func aDatasetFileWithoutClassNamesIsRefusedUpFront() throws {
        let dir = NSTemporaryDirectory() + "studyfile-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/images/train", withIntermediateDirectories: true)
        try "path: .\ntrain: images/train\nval: images/train\nnames: 5\n".write(toFile: dir + "/data.yaml", atomically: true, encoding: .utf8)
        let text = Self.valid.replacingOccurrences(of: "[data.synthetic]\nkind = \"shapes\"\ntrain = 10", with: "[data]\nyaml = \"data.yaml\"")
        try text.write(toFile: dir + "/study.toml", atomically: true, encoding: .utf8)
        do {
            _ = try StudyFile.load(dir + "/study.toml")
            Issue.record("names: 5 was accepted")
        } catch {
            #expect(error.description.contains("data.yaml:4: names: expected a list or a map of class names"), "\(error)")
            #expect(error.description.hasSuffix("(the dataset file of [data] at study.toml:6)"), "\(error)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test(arguments: cases.indices)
    func malformedFilesGiveOneLineNamingFileLineAndKey(_ i: Int) {
        let (find, replace, expected) = Self.cases[i]
        #expect(Self.valid.contains(find), "case \(i): the fixture lacks \(find)")
        switch Self.load(Self.valid.replacingOccurrences(of: find, with: replace)) {
        case .success:
            Issue.record("case \(i) (\(replace)) was accepted")
        case .failure(let error):
            #expect(error.description.contains(expected), "case \(i): got \(error.description)")
            #expect(!error.description.contains("\n"), "case \(i): more than one line")
        }
    }
}
