/// Collects the tensors of a pickled nn.Module tree under the names `module.state_dict()` gives them.
// torch/nn/modules/module.py state_dict: own _parameters, then _buffers not in _non_persistent_buffers_set
// (None skipped), then each child of _modules with prefix "name."; shared children are visited each time.
package enum ModuleTree {
    /// Deeper than this is a cycle or a hostile file, not a network.
    static let maxDepth = 64
    /// Module visits at most (a shared child is visited once per parent, like state_dict()).
    static let maxVisits = 1_000_000

    static func isModule(_ value: PickleValue) -> Bool {
        guard case .object(let o) = value else { return false }
        return AllowList.moduleClasses.contains(o.className)
    }

    /// The tensors of `module` and its children, in state_dict order, prefixed by `prefix`.
    package static func stateDict(of module: PickleObject, prefix: String = "") throws -> NamedReferences {
        var out: NamedReferences = []
        var visits = 0
        try collect(module, prefix: prefix, depth: 0, visits: &visits, into: &out)
        return out
    }

    private static func collect(
        _ module: PickleObject, prefix: String, depth: Int, visits: inout Int,
        into out: inout NamedReferences
    ) throws {
        let at = prefix.isEmpty ? "the top module" : "module \(prefix.dropLast())"
        guard depth < maxDepth else { throw CheckpointProblem(.malformed, "\(at) is nested deeper than \(maxDepth)") }
        visits += 1
        guard visits <= maxVisits else { throw CheckpointProblem(.malformed, "more than \(maxVisits) modules") }
        guard AllowList.moduleClasses.contains(module.className) else {
            throw CheckpointProblem(.refusedGlobal, "\(at) is a \(module.className), not a module")
        }
        guard let attributes = module.attributes else {
            throw CheckpointProblem(.malformed, "\(at) (\(module.className)) has no attribute dict")
        }
        let nonPersistent = Set((attributes["_non_persistent_buffers_set"]?.asSequence ?? []).compactMap(\.asString))
        for (field, skip) in [("_parameters", Set<String>()), ("_buffers", nonPersistent)] {
            guard let value = attributes[field] else { continue }
            guard let table = value.asDict else {
                throw CheckpointProblem(.malformed, "\(at).\(field) is a \(value.typeName)")
            }
            for (key, value) in table.entries {
                guard let name = key.asString else {
                    throw CheckpointProblem(.malformed, "\(at).\(field) has a non-string key")
                }
                switch value {
                case .none: continue
                case .tensor(let t): if !skip.contains(name) { out.append((prefix + name, t)) }
                default:
                    throw CheckpointProblem(
                        .malformed, "\(prefix)\(name) in \(field) is a \(value.typeName), not a tensor")
                }
            }
        }
        guard let children = attributes["_modules"] else { return }
        guard let table = children.asDict else {
            throw CheckpointProblem(.malformed, "\(at)._modules is a \(children.typeName)")
        }
        for (key, value) in table.entries {
            guard let name = key.asString else {
                throw CheckpointProblem(.malformed, "\(at)._modules has a non-string key")
            }
            switch value {
            case .none: continue
            case .object(let child):
                try collect(child, prefix: prefix + name + ".", depth: depth + 1, visits: &visits, into: &out)
            default:
                throw CheckpointProblem(.malformed, "\(prefix)\(name) in _modules is a \(value.typeName), not a module")
            }
        }
    }
}
