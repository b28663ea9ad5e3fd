import Detection
import Foundation

/// YOLOv5's validation table: `'%22s' + '%11i' * 2 + '%11.3g' * 4`, an "all" row, then one row per
/// class with labels when the dataset names 2 to 49 classes (or any number with `verbose`), as val.py.
// yolov5 v7.0 val.py: s = ('%22s' + '%11s' * 6) % (...), pf = '%22s' + '%11i' * 2 + '%11.3g' * 4
enum EvalTable {
    static let header =
        pad("Class", 22) + ["Images", "Instances", "P", "R", "mAP50", "mAP50-95"].map { pad($0, 11) }.joined()

    /// val.py prints per-class rows when `(verbose or nc < 50) and nc > 1`.
    static func showsClasses(_ names: [String], verbose: Bool) -> Bool { names.count > 1 && (verbose || names.count < 50) }

    static func yolov5(_ m: YOLOv5Metrics, names: [String], verbose: Bool) -> String {
        var lines = [
            header, row("all", m.images, m.instances.reduce(0, +), [m.precision, m.recall, m.map50, m.map50to95]),
        ]
        if let perClass = m.perClass, showsClasses(names, verbose: verbose) {
            for (i, c) in perClass.classes.enumerated() {
                lines.append(
                    row(
                        name(c, names), m.images, perClass.instances[i],
                        [perClass.precision[i], perClass.recall[i], perClass.ap50[i], perClass.ap50to95[i]]))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The same table with pycocotools' figures; COCO has no single P and R, shown as "-".
    static func coco(_ m: COCOMetrics, images: Int, names: [String], verbose: Bool) -> String {
        let instances = m.perClass.reduce(0) { $0 + $1.instances }
        var lines = [header, row("all", images, instances, [nil, nil, m.map50, m.map50to95])]
        if showsClasses(names, verbose: verbose) {
            for c in m.perClass {
                lines.append(row(name(c.classID, names), images, c.instances, [nil, nil, c.ap50, c.ap50to95]))
            }
        }
        return lines.joined(separator: "\n")
    }

    static func row(_ name: String, _ images: Int, _ instances: Int, _ values: [Double?]) -> String {
        pad(name, 22) + String(format: "%11ld%11ld", images, instances)
            + values.map { $0.map { String(format: "%11.3g", $0) } ?? pad("-", 11) }.joined()
    }

    static func name(_ c: Int, _ names: [String]) -> String { names.indices.contains(c) ? names[c] : String(c) }

    /// Right-aligns `text` in `width` columns, as `%Ns` does (longer text is kept whole).
    static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}

/// `eval --format json`: YOLOv5's figures at the top level, pycocotools' under `coco`.
struct EvalJSON: Encodable {
    struct YOLOClass: Encodable {
        var `class`: Int
        var name: String
        var instances: Int
        var precision: Double
        var recall: Double
        var ap50: Double
        var ap50to95: Double

        enum CodingKeys: String, CodingKey {
            case `class`, name, instances, precision, recall, ap50
            case ap50to95 = "ap50_95"
        }
    }

    struct COCOClass: Encodable {
        var `class`: Int
        var name: String
        var instances: Int
        var ap50: Double
        var ap50to95: Double

        enum CodingKeys: String, CodingKey {
            case `class`, name, instances, ap50
            case ap50to95 = "ap50_95"
        }
    }

    struct COCO: Encodable {
        var map50: Double
        var map50to95: Double
        var map75: Double
        var mar100: Double
        var perClass: [COCOClass]

        enum CodingKeys: String, CodingKey {
            case map50, map75, mar100
            case map50to95 = "map50_95"
            case perClass = "per_class"
        }
    }

    struct Skipped: Encodable {
        var images: Int
        var predictions: Int
    }

    var images: Int
    var instances: Int
    var precision: Double
    var recall: Double
    var map50: Double
    var map50to95: Double
    var fitness: Double
    /// The confidence at which YOLOv5 reads P and R (the smoothed mean-F1 maximum).
    var bestF1Confidence: Double?
    var perClass: [YOLOClass]
    var coco: COCO
    var skipped: Skipped

    enum CodingKeys: String, CodingKey {
        case images, instances, precision, recall, map50, fitness, coco, skipped
        case map50to95 = "map50_95"
        case bestF1Confidence = "best_f1_confidence"
        case perClass = "per_class"
    }

    init(yolo: YOLOv5Metrics, coco c: COCOMetrics, names: [String], skipped input: EvaluationInput) {
        images = yolo.images
        instances = yolo.instances.reduce(0, +)
        precision = yolo.precision
        recall = yolo.recall
        map50 = yolo.map50
        map50to95 = yolo.map50to95
        fitness = yolo.fitness
        bestF1Confidence = yolo.perClass?.bestConfidence
        perClass = []
        if let p = yolo.perClass {
            let ap50 = p.ap50
            let ap = p.ap50to95
            perClass = p.classes.indices.map { i in
                YOLOClass(
                    class: p.classes[i], name: EvalTable.name(p.classes[i], names), instances: p.instances[i],
                    precision: p.precision[i], recall: p.recall[i], ap50: ap50[i], ap50to95: ap[i])
            }
        }
        coco = COCO(
            map50: c.map50, map50to95: c.map50to95, map75: c.map75, mar100: c.mar100,
            perClass: c.perClass.map {
                COCOClass(
                    class: $0.classID, name: EvalTable.name($0.classID, names), instances: $0.instances,
                    ap50: $0.ap50, ap50to95: $0.ap50to95)
            })
        skipped = Skipped(images: input.skippedImages, predictions: input.skippedPredictions)
    }

    func encoded() throws -> String {
        try prettyJSON(self)
    }
}
