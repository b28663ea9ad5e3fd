import Detection
import Foundation
import TOMLKit
import Training
import Zoo

extension StudyFile {
    /// The tables and keys a study file may hold, besides every hyperparameter in [train].
    static let schema: [String: [String]] = [
        "study": ["name", "title", "description", "seed", "repeats"],
        "data": ["yaml", "synthetic"],
        "data.synthetic": ["kind", "preset", "train", "val", "imgsz", "seed"],
        "train": ["epochs", "batch", "nbs", "warmup_min_iters", "imgsz", "optimizer", "cos_lr", "patience", "pretrained", "freeze"],
        "grid": ["backbone", "neck", "imgsz"],
        "recommend": ["metric", "cost", "tolerance"],
        "report": ["formats", "language"],
        "export": ["onnx"],
    ]

    /// Reads and checks `path`. Relative data paths are relative to the study file.
    public static func load(_ path: String) throws(StudyFileError) -> StudyFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StudyFileError("\(path): cannot read the study file (does it exist?)")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: (path as NSString).lastPathComponent,
                         folder: (path as NSString).deletingLastPathComponent)
    }

    /// Reads study-file `text` as if it were `file` in `folder` (relative paths start there).
    public static func parse(_ text: String, file: String, folder: String) throws(StudyFileError) -> StudyFile {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw StudyFileError("\(file):\(error.source.begin.line): not valid TOML: \(error.description)")
        } catch {
            throw StudyFileError("\(file): not valid TOML: \(error)")
        }
        var reader = Reader(root: root, locator: KeyLocator(text), file: file, folder: folder)
        return try reader.study()
    }

    /// Parses study-file text (for tests and `--dry-run` of unsaved files).
    struct Reader {
        let root: TOMLTable
        let locator: KeyLocator
        let file: String
        let folder: String

        func at(_ table: String, _ key: String?) -> String {
            let line = key.flatMap { locator.line(of: $0, in: table) } ?? locator.line(ofTable: table)
            return line.map { "\(file):\($0)" } ?? file
        }

        func fail(_ table: String, _ key: String?, _ message: String, hint: String = "") -> StudyFileError {
            StudyFileError("\(message) in [\(table)] at \(at(table, key))\(hint)")
        }

        func table(_ name: String, required: Bool = false) throws(StudyFileError) -> TOMLTable? {
            let parts = name.split(separator: ".").map(String.init)
            var current: TOMLTable? = root
            for part in parts {
                guard let value = current?[part] else {
                    if required { throw StudyFileError("missing table [\(name)] in \(file)") }
                    return nil
                }
                guard let t = value.table else { throw fail(name, nil, "`\(part)` must be a table") }
                current = t
            }
            return current
        }

        /// Refuses keys the schema does not know, suggesting the nearest.
        func checkKeys(_ t: TOMLTable, _ name: String, extra: [String] = []) throws(StudyFileError) {
            let known = (StudyFile.schema[name] ?? []) + extra
            for key in t.keys where !known.contains(key) {
                let hint = nearestName(key, among: known).map { " — did you mean `\($0)`?" } ?? " (allowed: \(known.joined(separator: ", ")))"
                throw StudyFileError("unknown key `\(key)` in [\(name)] at \(at(name, key))\(hint)")
            }
        }

        func int(_ t: TOMLTable?, _ table: String, _ key: String, default value: Int?, range: ClosedRange<Int>) throws(StudyFileError) -> Int {
            guard let raw = t?[key] else {
                guard let value else { throw StudyFileError("missing key `\(key)` in [\(table)] of \(file)") }
                return value
            }
            guard let v = raw.int else { throw fail(table, key, "`\(key)` must be a whole number, got \(raw.debugDescription)") }
            guard range.contains(v) else { throw fail(table, key, "`\(key)` = \(v) is out of range \(range.lowerBound)...\(range.upperBound)") }
            return v
        }

        func double(_ t: TOMLTable?, _ table: String, _ key: String, default value: Double, range: ClosedRange<Double>) throws(StudyFileError) -> Double {
            guard let raw = t?[key] else { return value }
            guard let v = raw.double ?? raw.int.map(Double.init) else {
                throw fail(table, key, "`\(key)` must be a number, got \(raw.debugDescription)")
            }
            guard range.contains(v) else { throw fail(table, key, "`\(key)` = \(v) is out of range \(range.lowerBound)...\(range.upperBound)") }
            return v
        }

        func string(_ t: TOMLTable?, _ table: String, _ key: String, default value: String?) throws(StudyFileError) -> String {
            guard let raw = t?[key] else {
                guard let value else { throw StudyFileError("missing key `\(key)` in [\(table)] of \(file)") }
                return value
            }
            guard let v = raw.string else { throw fail(table, key, "`\(key)` must be a string, got \(raw.debugDescription)") }
            return v
        }

        func bool(_ t: TOMLTable?, _ table: String, _ key: String, default value: Bool) throws(StudyFileError) -> Bool {
            guard let raw = t?[key] else { return value }
            guard let v = raw.bool else { throw fail(table, key, "`\(key)` must be true or false, got \(raw.debugDescription)") }
            return v
        }

        /// A list of strings (a single string is a list of one).
        func strings(_ t: TOMLTable?, _ table: String, _ key: String, default value: [String]?, allowEmpty: Bool = false) throws(StudyFileError) -> [String] {
            guard let raw = t?[key] else {
                guard let value else { throw StudyFileError("missing key `\(key)` in [\(table)] of \(file)") }
                return value
            }
            if let s = raw.string { return [s] }
            guard let array = raw.array else { throw fail(table, key, "`\(key)` must be a list of strings") }
            var out: [String] = []
            for item in array {
                guard let s = item.string else { throw fail(table, key, "`\(key)` must be a list of strings, found \(item.debugDescription)") }
                out.append(s)
            }
            guard !out.isEmpty || allowEmpty else { throw fail(table, key, "`\(key)` is empty: the grid needs at least one value") }
            return out
        }

        func choice<T: RawRepresentable & CaseIterable>(_ t: TOMLTable?, _ table: String, _ key: String, default value: T) throws(StudyFileError) -> T where T.RawValue == String {
            let raw = try string(t, table, key, default: value.rawValue)
            guard let v = T(rawValue: raw) else {
                let all = T.allCases.map(\.rawValue)
                let hint = nearestName(raw, among: all).map { " — did you mean `\($0)`?" } ?? ""
                throw fail(table, key, "`\(key)` = \"\(raw)\" is not one of \(all.joined(separator: ", "))", hint: hint)
            }
            return v
        }

        mutating func study() throws(StudyFileError) -> StudyFile {
            for key in root.keys where StudyFile.schema[key] == nil {
                let hint = nearestName(key, among: Array(StudyFile.schema.keys)).map { " — did you mean [\($0)]?" } ?? ""
                throw StudyFileError("unknown table [\(key)] at \(at(key, nil))\(hint)")
            }
            let s = try table("study", required: true)!
            try checkKeys(s, "study")
            let name = try string(s, "study", "name", default: nil)
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }), name.first != "." else {
                throw fail("study", "name", "`name` = \"\(name)\" names the output folder: use letters, digits, - _ . only")
            }
            let seed = try int(s, "study", "seed", default: 0, range: 0...Int(UInt32.max))
            let repeats = try int(s, "study", "repeats", default: 1, range: 1...100)

            let d = try table("data", required: true)!
            try checkKeys(d, "data")
            let dataSource: StudyFile.Data
            if let synthetic = try table("data.synthetic") {
                try checkKeys(synthetic, "data.synthetic")
                guard d["yaml"] == nil else { throw fail("data", "yaml", "[data] has both `yaml` and [data.synthetic]: choose one") }
                let kind = try string(synthetic, "data.synthetic", "kind", default: "shapes")
                guard kind == "shapes" else { throw fail("data.synthetic", "kind", "`kind` = \"\(kind)\": the built-in dataset is \"shapes\"") }
                dataSource = .shapes(
                    train: try int(synthetic, "data.synthetic", "train", default: 500, range: 1...1_000_000),
                    val: try int(synthetic, "data.synthetic", "val", default: 100, range: 1...1_000_000),
                    imageSize: try int(synthetic, "data.synthetic", "imgsz", default: 160, range: 32...4096),
                    seed: UInt64(try int(synthetic, "data.synthetic", "seed", default: 0, range: 0...Int(UInt32.max))),
                    preset: try choice(synthetic, "data.synthetic", "preset", default: ShapesDataset.Preset.hard))
            } else {
                let yaml = try string(d, "data", "yaml", default: nil)
                let absolute = yaml.hasPrefix("/") ? yaml : (folder.isEmpty ? yaml : folder + "/" + yaml)
                guard FileManager.default.fileExists(atPath: absolute) else {
                    throw fail("data", "yaml", "dataset file \(absolute) does not exist (`yaml` is relative to the study file)")
                }
                // the dataset file is read now, so a malformed one (YOLOv5 stops on `names: 5` too)
                // is refused before anything trains, dry runs included
                do {
                    _ = try DataYAML.load(absolute)
                } catch {
                    throw StudyFileError("\(error) (the dataset file of [data] at \(at("data", "yaml")))")
                }
                dataSource = .yaml((absolute as NSString).standardizingPath)
            }

            let tr = try table("train")
            var hyp = Hyperparameters()
            if let tr {
                try checkKeys(tr, "train", extra: Hyperparameters.keys.map(\.name))
                for key in tr.keys where Hyperparameters.keys.contains(where: { $0.name == key }) {
                    let value = try double(tr, "train", key, default: 0, range: -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude)
                    do {
                        try hyp.set(key, value, source: file)
                    } catch {
                        throw fail("train", key, error.message)
                    }
                }
            }
            let imageSize = try int(tr, "train", "imgsz", default: 160, range: 32...DetectorSpec.maxImageSize)
            guard imageSize % 32 == 0 else { throw fail("train", "imgsz", "`imgsz` = \(imageSize) must be a multiple of 32") }

            let g = try table("grid", required: true)!
            try checkKeys(g, "grid")
            var backbones: [BackboneSpec] = []
            for b in try strings(g, "grid", "backbone", default: nil) {
                do { backbones.append(try BackboneSpec(parsing: b)) } catch { throw fail("grid", "backbone", "\(error)") }
            }
            var necks: [NeckSpec] = []
            for n in try strings(g, "grid", "neck", default: ["pan-sppf"]) {
                do { necks.append(try NeckSpec(parsing: n)) } catch { throw fail("grid", "neck", "\(error)") }
            }
            var sizes = [imageSize]
            if let raw = g["imgsz"] {
                guard let array = raw.array, !array.isEmpty else { throw fail("grid", "imgsz", "`imgsz` must be a non-empty list of image sizes") }
                sizes = []
                for item in array {
                    guard let v = item.int, v >= 32, v <= DetectorSpec.maxImageSize, v % 32 == 0 else {
                        throw fail("grid", "imgsz", "`imgsz` values must be multiples of 32 from 32 to \(DetectorSpec.maxImageSize), found \(item.debugDescription)")
                    }
                    sizes.append(v)
                }
            }
            guard Set(backbones).count == backbones.count, Set(necks).count == necks.count, Set(sizes).count == sizes.count else {
                throw fail("grid", nil, "the grid lists a value twice")
            }

            let pretrained = try pretrainedWeights(tr, backbones: backbones)
            let freeze = try int(tr, "train", "freeze", default: 0, range: 0...1000)
            if let b = backbones.first(where: { Freeze.layers($0) < freeze }) {
                throw fail("train", "freeze", "`freeze` = \(freeze) is more than the \(Freeze.layers(b)) layers \(b) has to freeze (its backbone's and the context block)")
            }

            let r = try table("recommend")
            if let r { try checkKeys(r, "recommend") }
            let rep = try table("report")
            if let rep { try checkKeys(rep, "report") }
            let formats = try strings(rep, "report", "formats", default: ["html", "pdf"], allowEmpty: true)
            for f in formats where !["html", "pdf", "png"].contains(f) {
                throw fail("report", "formats", "`formats` lists \"\(f)\": choose from html, pdf, png")
            }
            let language = try string(rep, "report", "language", default: "en")
            guard ["en", "zh"].contains(language) else { throw fail("report", "language", "`language` = \"\(language)\": choose en or zh") }
            let ex = try table("export")
            if let ex { try checkKeys(ex, "export") }

            return StudyFile(
                name: name, title: try string(s, "study", "title", default: name),
                description: try string(s, "study", "description", default: ""), seed: UInt64(seed), repeats: repeats,
                data: dataSource,
                epochs: try int(tr, "train", "epochs", default: 30, range: 1...10_000),
                batch: try int(tr, "train", "batch", default: 16, range: 1...1024),
                nominalBatch: try int(tr, "train", "nbs", default: 64, range: 1...4096),
                minWarmupIterations: try int(tr, "train", "warmup_min_iters", default: 100, range: 0...1_000_000),
                imageSize: imageSize, hyp: hyp,
                optimizer: try optimizerKind(tr), cosLR: try bool(tr, "train", "cos_lr", default: false),
                patience: try int(tr, "train", "patience", default: 100, range: 0...100_000),
                backbones: backbones, necks: necks, imageSizes: sizes,
                metric: try choice(r, "recommend", "metric", default: .map50_95),
                cost: try choice(r, "recommend", "cost", default: .params),
                tolerance: try double(r, "recommend", "tolerance", default: 0.01, range: 0...1),
                formats: formats, language: language, exportONNX: try bool(ex, "export", "onnx", default: true),
                pretrained: pretrained, freeze: freeze)
        }

        /// `[train] pretrained = "imagenet"` (every backbone that has published weights), or a
        /// table `[train.pretrained]` of backbone = "imagenet" or a file (relative to the study file).
        func pretrainedWeights(_ tr: TOMLTable?, backbones: [BackboneSpec]) throws(StudyFileError) -> [String: String] {
            guard let raw = tr?["pretrained"] else { return [:] }
            if let s = raw.string {
                guard s == "imagenet" else {
                    throw fail("train", "pretrained", "`pretrained` = \"\(s)\": write \"imagenet\", or a table [train.pretrained] of backbone = \"imagenet\" or a weights file")
                }
                return Dictionary(uniqueKeysWithValues: backbones.filter { ReferenceWeights.of($0) != nil }.map { ($0.description, "imagenet") })
            }
            guard let t = raw.table else {
                throw fail("train", "pretrained", "`pretrained` must be \"imagenet\" or a table of backbone = \"imagenet\" or a weights file")
            }
            var out: [String: String] = [:]
            for key in t.keys {
                guard let backbone = backbones.first(where: { $0.description == key }) else {
                    throw fail("train.pretrained", key, "`\(key)` is not a backbone of [grid] (\(backbones.map(\.description).joined(separator: ", ")))")
                }
                guard let value = t[key]?.string, !value.isEmpty else {
                    throw fail("train.pretrained", key, "`\(key)` must be \"imagenet\" or the path of a weights file")
                }
                if value == "imagenet" {
                    guard ReferenceWeights.of(backbone) != nil else {
                        throw fail("train.pretrained", key, "\(key) has no published ImageNet weights: name a weights file, or leave it out to train it from scratch")
                    }
                    out[key] = value
                } else {
                    out[key] = ((value as NSString).isAbsolutePath ? value : folder + "/" + value) as String
                }
            }
            return out
        }

        func optimizerKind(_ t: TOMLTable?) throws(StudyFileError) -> TrainingOptions.OptimizerKind {
            let raw = try string(t, "train", "optimizer", default: "SGD")
            guard let kind = TrainingOptions.OptimizerKind.allCases.first(where: { $0.rawValue.lowercased() == raw.lowercased() }) else {
                throw fail("train", "optimizer", "`optimizer` = \"\(raw)\": choose SGD or AdamW")
            }
            return kind
        }
    }
}
