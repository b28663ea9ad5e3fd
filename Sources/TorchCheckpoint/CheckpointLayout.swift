/// Tensors by name, in file order, before their values are read.
package typealias NamedReferences = [(String, TensorReference)]

/// Finds the tensors in a checkpoint's top-level object: a state dict, a dict wrapping one, or a module tree.
package enum CheckpointLayout {
    /// The keys that wrap a state dict or model, in the order they are tried: torchvision and timm's
    /// training scripts ("state_dict", "state_dict_ema", "model_ema"), YOLOv5's train.py ("model", "ema").
    static let wrapperKeys = [
        "state_dict", "model_state_dict", "model", "ema", "model_ema", "state_dict_ema", "module", "net", "params",
    ]

    /// The layout and the named tensors, in file order; `key` picks one wrapper key over the default order.
    package static func locate(_ root: PickleValue, key: String?) throws -> (TorchCheckpoint.Layout, NamedReferences) {
        if case .object(let module) = root {
            guard key == nil else {
                throw CheckpointProblem(.malformed, "the checkpoint is a module, not a dict with \"\(key!)\"")
            }
            return (.moduleTree(key: nil, className: module.className), try ModuleTree.stateDict(of: module))
        }
        guard let dict = root.asDict else {
            throw CheckpointProblem(.unsupported, "the checkpoint holds a \(root.typeName), not a state dict or module")
        }
        if key == nil, let tensors = stateDict(dict) { return (.stateDict, tensors) }
        for candidate in key.map({ [$0] }) ?? wrapperKeys {
            guard let value = dict[candidate] else { continue }
            if let inner = value.asDict, let tensors = stateDict(inner) {
                return (.wrappedStateDict(key: candidate), tensors)
            }
            if case .object(let module) = value, ModuleTree.isModule(value) {
                return (.moduleTree(key: candidate, className: module.className), try ModuleTree.stateDict(of: module))
            }
            if key != nil {
                throw CheckpointProblem(
                    .malformed, "checkpoint key \"\(candidate)\" holds a \(value.typeName), not tensors")
            }
        }
        let keys = dict.stringKeys.prefix(12).joined(separator: ", ")
        if let key { throw CheckpointProblem(.malformed, "no key \"\(key)\" in the checkpoint (its keys: \(keys))") }
        throw CheckpointProblem(.malformed, "no state dict or model in the checkpoint (its keys: \(keys))")
    }

    /// The top-level keys whose values are a state dict or a module tree (YOLOv5: "model", "ema").
    package static func tensorKeys(_ root: PickleValue) -> [String] {
        guard let dict = root.asDict else { return [] }
        return dict.entries.compactMap { entry in
            guard let k = entry.key.asString else { return nil }
            if let inner = entry.value.asDict, stateDict(inner) != nil { return k }
            return ModuleTree.isModule(entry.value) ? k : nil
        }
    }

    /// A dict of string keys to tensors, every value a tensor, at least one: a state dict.
    private static func stateDict(_ dict: PickleDict) -> NamedReferences? {
        guard !dict.entries.isEmpty else { return nil }
        var out: NamedReferences = []
        out.reserveCapacity(dict.entries.count)
        for (key, value) in dict.entries {
            guard let name = key.asString, let t = value.asTensor else { return nil }
            out.append((name, t))
        }
        return out
    }
}
