#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// Reading YOLO-format text files: labels (`class cx cy w h`, or `class x1 y1 x2 y2 ...` polygons)
/// and YOLOv5 `--save-txt --save-conf` predictions (`class cx cy w h conf`), with YOLOv5's checks
/// and a `file:line: what is wrong` problem for every line that fails one.
public enum LabelFile {
    /// How far (as a fraction of the image) a box may reach outside the image before it is an
    /// error rather than rounding.
    public static let tolerance = 0.001

    /// Parsed labels, the problems found, and how many exact duplicate rows were dropped.
    public struct Labels: Sendable, Equatable {
        public var labels: [YOLOLabel]
        public var problems: [InputProblem]
        public var duplicatesRemoved: Int
        /// The problems that are class ids beyond the dataset's classes (also in `problems`):
        /// training stops on these, as YOLOv5's `mlc < nc` check does, rather than skipping the image.
        public var classProblems: [InputProblem] = []
    }

    /// Parses a label file. As YOLOv5, if any line has more than 6 fields every line is read as a
    /// polygon and replaced by its bounding box, and exact duplicate rows (in Float32) are dropped,
    /// leaving the rows sorted as NumPy's `unique` sorts them.
    // yolov5 v7.0 utils/dataloaders.py verify_image_label
    public static func parseLabels(_ bytes: [UInt8], file: String, classCount: Int) -> Labels {
        var labels: [YOLOLabel] = []
        var problems: [InputProblem] = []
        var classProblems: [InputProblem] = []
        let lines = tokenize(bytes)
        let polygons = lines.contains { $0.fields.count > 6 }
        let text = terminated(bytes)
        for line in lines {
            let at = { (message: String) in InputProblem(file: file, line: line.number, message) }
            var values: [Double] = []
            for field in line.fields {
                guard let value = number(text, field) else {
                    problems.append(at("'\(quote(bytes, field))' is not a number"))
                    break
                }
                values.append(value)
            }
            guard values.count == line.fields.count, let first = values.first else { continue }
            let box: NormalizedBox
            if polygons {
                let coordinates = values.dropFirst()
                guard coordinates.count >= 2, coordinates.count % 2 == 0 else {
                    problems.append(at("a polygon needs x y pairs after the class, found \(coordinates.count) values"))
                    continue
                }
                box = boundingBox(Array(coordinates))
            } else {
                guard values.count == 5 else {
                    problems.append(at("expected 5 fields (class cx cy w h), found \(values.count)"))
                    continue
                }
                box = NormalizedBox(cx: values[1], cy: values[2], w: values[3], h: values[4])
            }
            if first == first.rounded(), first >= Double(classCount), let problem = classProblem(first, classCount: classCount) {
                classProblems.append(at(problem))
            }
            if let problem = classProblem(first, classCount: classCount) ?? labelBoxProblem(box) {
                problems.append(at(problem))
                continue
            }
            labels.append(YOLOLabel(classID: Int(first), box: box))
        }
        let unique = removingDuplicates(labels)
        return Labels(labels: unique, problems: problems, duplicatesRemoved: labels.count - unique.count,
                      classProblems: classProblems)
    }

    /// Parsed predictions and the problems found.
    public struct Predictions: Sendable, Equatable {
        public var predictions: [YOLOPrediction]
        public var problems: [InputProblem]
    }

    /// Parses a prediction file, keeping the file's order.
    public static func parsePredictions(_ bytes: [UInt8], file: String, classCount: Int) -> Predictions {
        var predictions: [YOLOPrediction] = []
        var problems: [InputProblem] = []
        predictions.reserveCapacity(bytes.count / 40)
        var values = [Double](repeating: 0, count: 6)
        let text = terminated(bytes)
        for line in tokenize(bytes) {
            guard line.fields.count == 6 else {
                problems.append(
                    InputProblem(
                        file: file, line: line.number,
                        "expected 6 fields (class cx cy w h conf), found \(line.fields.count)"))
                continue
            }
            var ok = true
            for (k, field) in line.fields.enumerated() {
                guard let value = number(text, field) else {
                    problems.append(
                        InputProblem(file: file, line: line.number, "'\(quote(bytes, field))' is not a number"))
                    ok = false
                    break
                }
                values[k] = value
            }
            guard ok else { continue }
            let box = NormalizedBox(cx: values[1], cy: values[2], w: values[3], h: values[4])
            let confidence = values[5]
            let problem =
                classProblem(values[0], classCount: classCount) ?? boxProblem(box)
                ?? ((0...1).contains(confidence) ? nil : "confidence \(confidence) is outside 0...1")
            if let problem {
                problems.append(InputProblem(file: file, line: line.number, problem))
                continue
            }
            predictions.append(YOLOPrediction(classID: Int(values[0]), box: box, confidence: confidence))
        }
        return Predictions(predictions: predictions, problems: problems)
    }

    /// A non-blank line: its 1-based number and the byte ranges of its fields.
    struct Line {
        var number: Int
        var fields: [Range<Int>]
    }

    /// Splits text into lines (`\n`, `\r\n` or `\r`) and whitespace-separated fields, skipping
    /// blank lines and a leading byte-order mark.
    static func tokenize(_ bytes: [UInt8]) -> [Line] {
        var lines: [Line] = []
        var fields: [Range<Int>] = []
        var number = 1
        var start = -1
        // A UTF-8 byte-order mark, as Windows editors write it, is not part of the first field.
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let n = bytes.count
        while i <= n {
            let byte: UInt8 = i < n ? bytes[i] : 10
            let isNewline = byte == 10 || byte == 13
            if isNewline || byte == 32 || byte == 9 || byte == 11 || byte == 12 {
                if start >= 0 {
                    fields.append(start..<i)
                    start = -1
                }
                if isNewline {
                    if !fields.isEmpty {
                        lines.append(Line(number: number, fields: fields))
                        fields.removeAll(keepingCapacity: true)
                    }
                    if byte == 13 && i + 1 < n && bytes[i + 1] == 10 { i += 1 }
                    number += 1
                }
            } else if start < 0 {
                start = i
            }
            i += 1
        }
        return lines
    }

    /// The bytes as C characters with a terminating NUL, for `strtod`.
    static func terminated(_ bytes: [UInt8]) -> [CChar] {
        var text = [CChar](repeating: 0, count: bytes.count + 1)
        for i in bytes.indices { text[i] = CChar(bitPattern: bytes[i]) }
        return text
    }

    /// The field of NUL-terminated `text` as a finite number, or nil.
    static func number(_ text: [CChar], _ field: Range<Int>) -> Double? {
        text.withUnsafeBufferPointer { p -> Double? in
            guard let base = p.baseAddress else { return nil }
            var end: UnsafeMutablePointer<CChar>? = nil
            let start = base + field.lowerBound
            let value = strtod(start, &end)
            guard let end, UnsafePointer(end) - start == field.count, value.isFinite else { return nil }
            return value
        }
    }

    /// The field as text for a message, cut at 40 bytes.
    static func quote(_ bytes: [UInt8], _ field: Range<Int>) -> String {
        String(decoding: bytes[field.lowerBound..<min(field.upperBound, field.lowerBound + 40)], as: UTF8.self)
    }

    /// Why a class field is not a valid class id for `classCount` classes, or nil.
    static func classProblem(_ value: Double, classCount: Int) -> String? {
        guard value == value.rounded() else { return "class id \(value) is not a whole number" }
        guard value >= 0 && value < Double(classCount) else {
            return
                "class id \(format(value)) is out of range: data.yaml names \(classCount) classes (0...\(classCount - 1))"
        }
        return nil
    }

    /// Why a label's box is not one YOLOv5 keeps, or nil: cx, cy, w and h each in 0...1 (up to
    /// `tolerance`). A box may reach past the image edge, as annotation tools export them; the
    /// augmentation and the metrics clip it where YOLOv5 does.
    // yolov5 v7.0 utils/dataloaders.py verify_image_label: (lb >= 0).all() and (lb[:, 1:] <= 1).all()
    static func labelBoxProblem(_ box: NormalizedBox) -> String? {
        let inside = -tolerance...(1 + tolerance)
        for (name, value) in [("cx", box.cx), ("cy", box.cy), ("w", box.w), ("h", box.h)] where !inside.contains(value) {
            return "\(name) \(format(value)) is not a normalised value (cx cy w h must lie in 0...1)"
        }
        return nil
    }

    /// Why a predicted box is not inside the image (up to `tolerance`), or nil.
    static func boxProblem(_ box: NormalizedBox) -> String? {
        if box.w < 0 { return "negative width \(box.w)" }
        if box.h < 0 { return "negative height \(box.h)" }
        let x1 = box.cx - box.w / 2
        let x2 = box.cx + box.w / 2
        let y1 = box.cy - box.h / 2
        let y2 = box.cy + box.h / 2
        let inside = -tolerance...(1 + tolerance)
        if !inside.contains(x1) || !inside.contains(x2) || !inside.contains(y1) || !inside.contains(y2) {
            return "box outside the image: x \(format(x1))...\(format(x2)), y \(format(y1))...\(format(y2)) "
                + "(normalised coordinates must lie in 0...1)"
        }
        return nil
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// The bounding box of a polygon given as x y pairs.
    // yolov5 v7.0 utils/general.py segments2boxes
    static func boundingBox(_ xy: [Double]) -> NormalizedBox {
        var x1 = Double.infinity
        var y1 = Double.infinity
        var x2 = -Double.infinity
        var y2 = -Double.infinity
        for k in stride(from: 0, to: xy.count - 1, by: 2) {
            x1 = min(x1, xy[k])
            x2 = max(x2, xy[k])
            y1 = min(y1, xy[k + 1])
            y2 = max(y2, xy[k + 1])
        }
        return NormalizedBox(cx: (x1 + x2) / 2, cy: (y1 + y2) / 2, w: x2 - x1, h: y2 - y1)
    }

    /// YOLOv5's duplicate-row check: rows equal in Float32 are dropped; if any were, the rest are
    /// sorted by (class, cx, cy, w, h) as `np.unique(axis=0)` leaves them.
    static func removingDuplicates(_ labels: [YOLOLabel]) -> [YOLOLabel] {
        func key(_ l: YOLOLabel) -> [Float] {
            [Float(l.classID), Float(l.box.cx), Float(l.box.cy), Float(l.box.w), Float(l.box.h)]
        }
        var seen = Set<[Float]>()
        let unique = labels.filter { seen.insert(key($0)).inserted }
        if unique.count == labels.count { return labels }
        return unique.sorted { key($0).lexicographicallyPrecedes(key($1)) }
    }
}
