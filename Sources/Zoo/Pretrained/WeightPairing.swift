/// Which tensor of a published state dict goes into which tensor of the zoo's trunk.
///
/// The trunk is built as its reference, so the reference's tensors, without its head and without
/// BatchNorm's `num_batches_tracked`, come in the same module order as the trunk's (parameters then
/// buffers of each module, depth first, as `state_dict()` orders them). They are paired in that order,
/// and every pair must agree in shape and in kind (weight, bias, running mean, running variance);
/// the first that does not is the error.
public enum WeightPairing {
    /// One trunk tensor and the reference key that fills it.
    public struct Pair: Sendable, Equatable {
        public let ours: String
        public let reference: String
    }

    /// The pairs, and how many head keys were ignored.
    public struct Result: Sendable, Equatable {
        public let pairs: [Pair]
        public let ignoredHeadKeys: Int
    }

    /// Pairs the trunk's tensors `ours` (module order) with a published file's `reference` tensors
    /// (file order) for `weights`; throws naming the first tensor that is missing, extra or misfit.
    public static func pair(ours: [(name: String, shape: [Int])], reference: [(name: String, shape: [Int])],
                            weights: ReferenceWeights) throws(PretrainedError) -> Result {
        var trunk: [(name: String, shape: [Int])] = [], ignored = 0
        for (key, shape) in reference {
            let name = weights.stripPrefix.map { key.hasPrefix($0) ? String(key.dropFirst($0.count)) : key } ?? key
            if name.hasSuffix("num_batches_tracked") { continue }
            if weights.headPrefixes.contains(where: name.hasPrefix) {
                ignored += 1
                continue
            }
            trunk.append((key, shape))
        }
        var pairs: [Pair] = []
        for (i, mine) in ours.enumerated() {
            guard i < trunk.count else {
                throw .missing(ours: mine.name, shape: mine.shape, model: weights.model, found: trunk.count, needed: ours.count)
            }
            let theirs = trunk[i]
            guard kind(of: mine.name) == kind(of: theirs.name), mine.shape == theirs.shape else {
                throw .misfit(ours: mine.name, shape: mine.shape, reference: theirs.name, referenceShape: theirs.shape, model: weights.model)
            }
            pairs.append(Pair(ours: mine.name, reference: theirs.name))
        }
        if trunk.count > ours.count {
            throw .extra(reference: trunk[ours.count].name, model: weights.model, found: trunk.count, needed: ours.count)
        }
        return Result(pairs: pairs, ignoredHeadKeys: ignored)
    }

    /// weight, bias, running mean or running variance, from a key's last component in either naming.
    static func kind(of name: String) -> String {
        switch name.split(separator: ".").last.map(String.init) ?? name {
        case "running_mean", "runningMean": "mean"
        case "running_var", "runningVar": "var"
        case let last: last
        }
    }
}

/// Why published weights do not fit a trunk, in one line.
public enum PretrainedError: Error, CustomStringConvertible, Equatable {
    case missing(ours: String, shape: [Int], model: String, found: Int, needed: Int)
    case extra(reference: String, model: String, found: Int, needed: Int)
    case misfit(ours: String, shape: [Int], reference: String, referenceShape: [Int], model: String)

    public var description: String {
        switch self {
        case .missing(let ours, let shape, let model, let found, let needed):
            "not \(model)'s weights: the file has \(found) trunk tensors, the trunk needs \(needed); nothing for \(ours) \(shape)"
        case .extra(let reference, let model, let found, let needed):
            "not \(model)'s weights: the file has \(found) trunk tensors, the trunk needs \(needed); \(reference) is left over"
        case .misfit(let ours, let shape, let reference, let referenceShape, let model):
            "not \(model)'s weights: \(reference) \(referenceShape) does not fit \(ours) \(shape)"
        }
    }
}
