/// A checkpoint's object pickle, read, with a way to get each storage's bytes: what both formats give.
package struct LoadedPickle {
    package let root: PickleValue
    package let format: TorchCheckpoint.Format
    /// Storage bytes are stored in the saving machine's byte order (zip: its `byteorder` record).
    package let bigEndian: Bool
    /// The bytes of a storage, at least `count × elementSize` of them, or a problem naming it.
    package let storageBytes: (StorageReference) throws -> ArraySlice<UInt8>
}

/// torch/serialization.py `persistent_load`: the parts of a storage persistent id, checked.
package enum PersistentID {
    /// ('storage', storage_type, key, location, numel[, view_metadata]) → its parts.
    package static func storage(_ pid: PickleValue) throws -> (StorageReference, view: PickleValue) {
        guard let parts = pid.asSequence, parts.count == 5 || parts.count == 6, parts[0].asString == "storage" else {
            throw CheckpointProblem(.malformed, "a persistent id that is not a storage (\(pid.typeName))")
        }
        guard case .global(.storageType(let dtype, _)) = parts[1] else {
            throw CheckpointProblem(.unsupported, "a storage of type \(parts[1].typeName)")
        }
        guard let key = parts[2].asString, let count = parts[4].asInt, count >= 0 else {
            throw CheckpointProblem(.malformed, "a storage persistent id without a key or element count")
        }
        let ref = StorageReference(key: key, dtype: dtype, count: count, viewOf: nil)
        return (ref, parts.count == 6 ? parts[5] : .none)
    }

    /// `count × elementSize`, refused when it overflows.
    static func byteCount(_ ref: StorageReference) throws -> Int {
        let (n, overflow) = ref.count.multipliedReportingOverflow(by: ref.dtype.elementSize)
        guard !overflow else { throw CheckpointProblem(.outOfBounds, "storage \(ref.key) is too large") }
        return n
    }
}
