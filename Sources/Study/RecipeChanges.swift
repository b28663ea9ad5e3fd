import Foundation
import Training

extension StudyFile {
    /// What differs from `old` among the settings that change a finished cell's numbers — the data,
    /// the training recipe, a kept cell's image size — as "key: old → new"; empty when `old`'s
    /// finished runs are still valid for this file.
    ///
    /// Everything else may change on a folder that holds results: a wider grid or more seeds adds
    /// cells to train, and the title, the recommendation rule and the report settings only change
    /// what is rebuilt at the end.
    public func recipeChanges(from old: StudyFile) -> [String] {
        var out: [String] = []
        func check<T: Equatable>(_ key: String, _ a: T, _ b: T) { if a != b { out.append("\(key): \(a) → \(b)") } }
        if old.data != data { out.append("[data]: \(Self.describe(old.data)) → \(Self.describe(data))") }
        check("[train] epochs", old.epochs, epochs)
        check("[train] batch", old.batch, batch)
        check("[train] nbs", old.nominalBatch, nominalBatch)
        check("[train] warmup_min_iters", old.minWarmupIterations, minWarmupIterations)
        check("[train] optimizer", old.optimizer.rawValue, optimizer.rawValue)
        check("[train] cos_lr", old.cosLR, cosLR)
        check("[train] patience", old.patience, patience)
        check("[train] freeze", old.freeze, freeze)
        for key in Hyperparameters.Key.allCases { check("[train] \(key.rawValue)", old.hyp[key], hyp[key]) }
        for backbone in Set(old.pretrained.keys).union(pretrained.keys).sorted() {
            check("[train] pretrained of \(backbone)", old.pretrained[backbone] ?? "none", pretrained[backbone] ?? "none")
        }
        let oldSizes = Dictionary(old.cells.map { ($0.name, $0.imageSize) }, uniquingKeysWith: { a, _ in a })
        for cell in cells {
            if let size = oldSizes[cell.name], size != cell.imageSize { out.append("imgsz of \(cell.name): \(size) → \(cell.imageSize)") }
        }
        return out
    }

    static func describe(_ data: Data) -> String {
        switch data {
        case .yaml(let path): "yaml = \"\(path)\""
        case .shapes(let train, let val, let size, let seed, let preset):
            "shapes (\(preset.rawValue), train \(train), val \(val), imgsz \(size), seed \(seed))"
        }
    }
}
