import Detection
import Foundation
import Yams

/// YOLOv5's hyperparameters (hyp.yaml keys), starting from hyp.scratch-low.yaml of v7.0.
public struct Hyperparameters: Sendable, Equatable {
    /// Every key with its default and what it does, in hyp.scratch-low.yaml's order.
    public static let keys: [(name: String, value: Double, help: String)] = [
        ("lr0", 0.01, "initial learning rate (SGD=1E-2, Adam=1E-3)"),
        ("lrf", 0.01, "final OneCycleLR learning rate (lr0 * lrf)"),
        ("momentum", 0.937, "SGD momentum/Adam beta1"),
        ("weight_decay", 0.0005, "optimizer weight decay 5e-4"),
        ("warmup_epochs", 3.0, "warmup epochs (fractions ok)"),
        ("warmup_momentum", 0.8, "warmup initial momentum"),
        ("warmup_bias_lr", 0.1, "warmup initial bias lr"),
        ("box", 0.05, "box loss gain"),
        ("cls", 0.5, "cls loss gain"),
        ("cls_pw", 1.0, "cls BCELoss positive_weight"),
        ("obj", 1.0, "obj loss gain (scale with pixels)"),
        ("obj_pw", 1.0, "obj BCELoss positive_weight"),
        ("iou_t", 0.20, "IoU training threshold (unused by v7.0's loss)"),
        ("anchor_t", 4.0, "anchor-multiple threshold"),
        ("fl_gamma", 0.0, "focal loss gamma (0 only: focal loss is not implemented)"),
        ("hsv_h", 0.015, "image HSV-Hue augmentation (fraction)"),
        ("hsv_s", 0.7, "image HSV-Saturation augmentation (fraction)"),
        ("hsv_v", 0.4, "image HSV-Value augmentation (fraction)"),
        ("degrees", 0.0, "image rotation (+/- deg)"),
        ("translate", 0.1, "image translation (+/- fraction)"),
        ("scale", 0.5, "image scale (+/- gain)"),
        ("shear", 0.0, "image shear (+/- deg)"),
        ("perspective", 0.0, "image perspective (+/- fraction), range 0-0.001"),
        ("flipud", 0.0, "image flip up-down (probability)"),
        ("fliplr", 0.5, "image flip left-right (probability)"),
        ("mosaic", 1.0, "image mosaic (probability)"),
        ("mixup", 0.0, "image mixup (probability)"),
        ("copy_paste", 0.0, "segment copy-paste (0 only: needs segment labels)"),
        ("label_smoothing", 0.0, "label smoothing epsilon (train.py --label-smoothing)"),
    ]

    /// A hyperparameter, named in code so that a typo does not compile; its raw value is the
    /// hyp.yaml / `--set` / study.toml name.
    public enum Key: String, CaseIterable, Sendable {
        case lr0, lrf, momentum, weightDecay = "weight_decay", warmupEpochs = "warmup_epochs"
        case warmupMomentum = "warmup_momentum", warmupBiasLR = "warmup_bias_lr"
        case box, cls, clsPositiveWeight = "cls_pw", obj, objPositiveWeight = "obj_pw", iouT = "iou_t", anchorT = "anchor_t"
        case focalGamma = "fl_gamma", hsvH = "hsv_h", hsvS = "hsv_s", hsvV = "hsv_v", degrees, translate, scale, shear, perspective
        case flipud, fliplr, mosaic, mixup, copyPaste = "copy_paste", labelSmoothing = "label_smoothing"

        /// hyp.scratch-low.yaml's value.
        public var defaultValue: Double { Hyperparameters.keys.first { $0.name == rawValue }?.value ?? 0 }
    }

    /// The values by key.
    public private(set) var values: [Key: Double]

    /// hyp.scratch-low.yaml.
    public init() { values = Dictionary(uniqueKeysWithValues: Key.allCases.map { ($0, $0.defaultValue) }) }

    public subscript(_ key: Key) -> Double { values[key] ?? key.defaultValue }

    /// Sets the key named `key`; an unknown name or an out-of-range value is a problem naming `source`.
    public mutating func set(_ key: String, _ value: Double, source: String, line: Int? = nil) throws(InputProblem) {
        guard let typed = Key(rawValue: key) else {
            let hint = Self.nearest(key).map { " — did you mean '\($0)'?" } ?? ""
            throw InputProblem(file: source, line: line, "unknown hyperparameter '\(key)'\(hint)")
        }
        guard value.isFinite, value >= 0 else {
            throw InputProblem(file: source, line: line, "\(key): \(value) must be a number ≥ 0")
        }
        let probabilities: Set = ["flipud", "fliplr", "mosaic", "mixup", "copy_paste", "label_smoothing"]
        if probabilities.contains(key), value > 1 {
            throw InputProblem(file: source, line: line, "\(key): \(value) is a probability, from 0 to 1")
        }
        if key == "fl_gamma", value != 0 {
            throw InputProblem(file: source, line: line, "fl_gamma: focal loss is not implemented in studyctl; use 0")
        }
        if key == "copy_paste", value != 0 {
            throw InputProblem(file: source, line: line, "copy_paste: needs segment labels, which studyctl reads as boxes; use 0")
        }
        if key == "anchor_t", value <= 1 {
            throw InputProblem(file: source, line: line, "anchor_t: \(value) must be above 1")
        }
        values[typed] = value
    }

    /// Applies a hyp.yaml (a mapping of keys to numbers).
    public mutating func apply(yamlFile path: String) throws(InputProblem) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputProblem(file: path, "cannot read the hyperparameter file (does it exist?)")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: String(decoding: data, as: UTF8.self))
        } catch {
            throw InputProblem(file: path, "not valid YAML: \(error)")
        }
        guard let node else { return }
        guard case .mapping(let mapping) = node else {
            throw InputProblem(file: path, line: node.mark?.line, "expected a mapping of hyperparameters to numbers")
        }
        for (key, value) in mapping {
            guard let name = key.string else { continue }
            guard let number = value.float else {
                throw InputProblem(file: path, line: value.mark?.line, "\(name): expected a number")
            }
            try set(name, number, source: path, line: key.mark?.line)
        }
    }

    /// Applies `key=value` overrides (`--set`).
    public mutating func apply(overrides: [String]) throws(InputProblem) {
        for item in overrides {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = Double(parts[1].trimmingCharacters(in: .whitespaces)) else {
                throw InputProblem(file: "--set", "'\(item)': expected key=number, e.g. --set lr0=0.02")
            }
            try set(parts[0].trimmingCharacters(in: .whitespaces), value, source: "--set")
        }
    }

    /// The augmentation part.
    public var augment: AugmentSettings {
        var a = AugmentSettings()
        (a.hsvH, a.hsvS, a.hsvV) = (self[.hsvH], self[.hsvS], self[.hsvV])
        (a.degrees, a.translate, a.scale, a.shear, a.perspective) =
            (self[.degrees], self[.translate], self[.scale], self[.shear], self[.perspective])
        (a.flipud, a.fliplr, a.mosaic, a.mixup) = (self[.flipud], self[.fliplr], self[.mosaic], self[.mixup])
        return a
    }

    /// The key closest to `key` by edit distance, if it is close enough to be a typo.
    public static func nearest(_ key: String) -> String? {
        nearestName(key, among: keys.map(\.name))
    }
}

/// The candidate closest to `word` by Levenshtein distance, when at most a third of its length away.
public func nearestName(_ word: String, among candidates: [String]) -> String? {
    func distance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, cb) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
    let w = Array(word.lowercased())
    let scored = candidates.map { (name: $0, d: distance(w, Array($0.lowercased()))) }
    guard let best = scored.min(by: { $0.d < $1.d }), best.d <= max(2, w.count / 3) else { return nil }
    return best.name
}
