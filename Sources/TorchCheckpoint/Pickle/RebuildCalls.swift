/// What REDUCE does with each allowed global: builds a value from the arguments, runs nothing.
enum RebuildCalls {
    /// The value `g(*args)` stands for.
    static func call(_ g: Global, _ args: [PickleValue]) throws -> PickleValue {
        switch g {
        case .orderedDict:
            // OrderedDict() or OrderedDict([(key, value), ...])
            let d = PickleDict()
            if let pairs = args.first?.asSequence {
                for pair in pairs {
                    guard let kv = pair.asSequence, kv.count == 2 else {
                        throw CheckpointProblem(.malformed, "OrderedDict of a \(pair.typeName), not pairs")
                    }
                    d.set(kv[0], kv[1])
                }
            }
            return .dict(d)

        case .rebuildTensorV2, .rebuildTensor:
            // torch/_utils.py: _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad,
            // backward_hooks, metadata=None); _rebuild_tensor(storage, storage_offset, size, stride)
            guard args.count >= 4 else { throw CheckpointProblem(.malformed, "\(g.name) with \(args.count) arguments") }
            return .tensor(try tensor(args[0], offset: args[1], shape: args[2], strides: args[3], by: g))

        case .rebuildParameter, .rebuildParameterWithState:
            // _rebuild_parameter(data, requires_grad, backward_hooks[, state])
            guard let t = args.first?.asTensor else {
                throw CheckpointProblem(.malformed, "\(g.name) of a \(args.first?.typeName ?? "nothing"), not a tensor")
            }
            t.isParameter = true
            return .tensor(t)

        case .rebuildFromTypeV2:
            // torch/_tensor.py: _rebuild_from_type_v2(func, new_type, args, state) -> func(*args) as new_type
            guard args.count >= 3, case .global(let inner) = args[0], case .global(.tensorType) = args[1],
                let innerArgs = args[2].asSequence
            else {
                throw CheckpointProblem(.refusedGlobal, "refused _rebuild_from_type_v2 of anything but a plain tensor")
            }
            guard [.rebuildTensorV2, .rebuildTensor, .rebuildParameter, .rebuildParameterWithState].contains(inner)
            else {
                throw CheckpointProblem(.refusedGlobal, "refused _rebuild_from_type_v2 calling \(inner.name)")
            }
            return try call(inner, innerArgs)

        case .torchSize:
            // torch.Size((2, 3)) -> (2, 3)
            return .tuple(args.first?.asSequence ?? [])

        case .set:
            return .list(PickleList(args.first?.asSequence ?? []))

        case .codecsEncode:
            // Protocol 2 writes bytes b as _codecs.encode(b.decode("latin1"), "latin1").
            guard let text = args.first?.asString else {
                throw CheckpointProblem(.malformed, "_codecs.encode of a non-string")
            }
            let encoding = args.count > 1 ? args[1].asString ?? "" : "utf-8"
            if encoding == "latin1" || encoding == "latin-1" {
                var out: [UInt8] = []
                for scalar in text.unicodeScalars {
                    guard scalar.value < 256 else { throw CheckpointProblem(.malformed, "_codecs.encode: not latin-1") }
                    out.append(UInt8(scalar.value))
                }
                return .bytes(out)
            }
            return .bytes(Array(text.utf8))

        case .torchDevice, .metadataClass:
            // torch.device("cpu"), numpy's _reconstruct / scalar: inert records.
            return .object(PickleObject(className: g.name, arguments: args))

        case .storageType, .dtype, .tensorType, .moduleClass:
            throw CheckpointProblem(.refusedGlobal, "refused call of \(g.name)")
        }
    }

    /// A view into a storage, with shape and strides as non-negative integers.
    private static func tensor(
        _ storage: PickleValue, offset: PickleValue, shape: PickleValue, strides: PickleValue, by g: Global
    ) throws -> TensorReference {
        guard case .storage(let s) = storage else {
            throw CheckpointProblem(.malformed, "\(g.name) of a \(storage.typeName), not a storage")
        }
        guard let o = offset.asInt, o >= 0 else {
            throw CheckpointProblem(.malformed, "\(g.name) with a storage offset that is not a non-negative integer")
        }
        let dims = try integers(shape, "size", by: g)
        let steps = try integers(strides, "stride", by: g)
        guard dims.count == steps.count, dims.count <= 64 else {
            throw CheckpointProblem(.malformed, "\(g.name) with size \(dims) and stride \(steps)")
        }
        return TensorReference(storage: s, offset: o, shape: dims, strides: steps)
    }

    private static func integers(_ v: PickleValue, _ what: String, by g: Global) throws -> [Int] {
        guard let items = v.asSequence else {
            throw CheckpointProblem(.malformed, "\(g.name) with a \(v.typeName) \(what)")
        }
        return try items.map {
            guard let i = $0.asInt, i >= 0 else {
                throw CheckpointProblem(.malformed, "\(g.name) with a \(what) that is not a non-negative integer")
            }
            return i
        }
    }
}
