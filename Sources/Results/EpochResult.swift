import Foundation

/// One row of results.csv: an epoch's training losses, validation metrics and losses, and the
/// learning rates of its last step, as YOLOv5 v7.0's `train.py` logs them.
public struct EpochResult: Sendable, Equatable, Codable {
    public var epoch: Int
    public var trainBox: Double, trainObj: Double, trainCls: Double
    public var precision: Double, recall: Double, map50: Double, map50to95: Double
    public var valBox: Double, valObj: Double, valCls: Double
    /// Learning rates of the bias, weight (with decay) and BatchNorm-weight groups.
    public var lr0: Double, lr1: Double, lr2: Double

    public init(epoch: Int, trainBox: Double, trainObj: Double, trainCls: Double, precision: Double, recall: Double,
                map50: Double, map50to95: Double, valBox: Double, valObj: Double, valCls: Double,
                lr0: Double, lr1: Double, lr2: Double) {
        (self.epoch, self.trainBox, self.trainObj, self.trainCls) = (epoch, trainBox, trainObj, trainCls)
        (self.precision, self.recall, self.map50, self.map50to95) = (precision, recall, map50, map50to95)
        (self.valBox, self.valObj, self.valCls, self.lr0, self.lr1, self.lr2) = (valBox, valObj, valCls, lr0, lr1, lr2)
    }

    /// YOLOv5's fitness: 0.1 · mAP@0.5 + 0.9 · mAP@0.5:0.95.
    public var fitness: Double { 0.1 * map50 + 0.9 * map50to95 }

    var values: [Double] {
        [Double(epoch), trainBox, trainObj, trainCls, precision, recall, map50, map50to95, valBox, valObj, valCls, lr0, lr1, lr2]
    }
}

/// results.csv in YOLOv5's format: a header of 14 names right-aligned in 20 characters, then a row
/// per epoch of `%20.5g` numbers, comma-separated — YOLOv5's `plot_results()` reads it.
// yolov5 v7.0 utils/loggers/__init__.py Loggers.on_fit_epoch_end
public enum ResultsCSV {
    public static let columns = [
        "epoch", "train/box_loss", "train/obj_loss", "train/cls_loss", "metrics/precision", "metrics/recall",
        "metrics/mAP_0.5", "metrics/mAP_0.5:0.95", "val/box_loss", "val/obj_loss", "val/cls_loss",
        "x/lr0", "x/lr1", "x/lr2",
    ]

    /// The whole file for `rows`.
    public static func text(_ rows: [EpochResult]) -> String {
        var out = columns.map { pad($0) }.joined(separator: ",") + "\n"
        for row in rows { out += row.values.map { String(format: "%20.5g", $0) }.joined(separator: ",") + "\n" }
        return out
    }

    /// Reads a results.csv (YOLOv5's or ours); a problem names the line.
    public static func parse(_ text: String, file: String) throws(ResultFileError) -> [EpochResult] {
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard let header = lines.first else { throw ResultFileError(file: file, "empty results file") }
        let names = header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard Array(names.prefix(columns.count)) == columns else {
            throw ResultFileError(file: file, line: 1, "header is not YOLOv5's results.csv header")
        }
        lines.removeFirst()
        return try lines.enumerated().map { (i, line) throws(ResultFileError) in
            let v = line.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard v.count >= columns.count, v.prefix(columns.count).allSatisfy({ $0 != nil }) else {
                throw ResultFileError(file: file, line: i + 2, "expected \(columns.count) numbers")
            }
            let x = v.map { $0! }
            return EpochResult(epoch: Int(x[0]), trainBox: x[1], trainObj: x[2], trainCls: x[3], precision: x[4],
                               recall: x[5], map50: x[6], map50to95: x[7], valBox: x[8], valObj: x[9], valCls: x[10],
                               lr0: x[11], lr1: x[12], lr2: x[13])
        }
    }

    static func pad(_ s: String) -> String { String(repeating: " ", count: max(0, 20 - s.count)) + s }
}

/// A result file that cannot be read.
public struct ResultFileError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int? = nil, _ message: String) { (self.file, self.line, self.message) = (file, line, message) }

    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}

extension ResultsCSV {
    /// The rows of a results.csv, or none when it cannot be read (for progress displays).
    public static func parseOrEmpty(_ text: String) -> [EpochResult] { (try? parse(text, file: "")) ?? [] }
}
