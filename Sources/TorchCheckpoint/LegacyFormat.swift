/// Reads torch.save's legacy format (`_use_new_zipfile_serialization=False`): pickles, then raw storages.
// torch/serialization.py _legacy_save: magic number, protocol version, sys_info, then the object (storages
// as persistent ids), then the sorted storage keys, then per key an int64 element count and the raw
// little-endian bytes (torch/csrc/serialization.cpp THPStorage_writeFileRaw).
package enum LegacyFormat {
    /// 0x1950A86A20F9469CFC6C (torch/serialization.py MAGIC_NUMBER) as LONG1's little-endian bytes.
    package static let magic: [UInt8] = [0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]
    static let protocolVersion = 1001

    /// True for a tar archive (the earliest torch versions' format): "ustar" at byte 257.
    static func isTar(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 262 && Array(bytes[257..<262]) == Array("ustar".utf8)
    }

    package static func load(_ bytes: [UInt8]) throws -> LoadedPickle {
        var header = PickleMachine(bytes, label: "the legacy header")
        let magicValue: PickleValue
        do {
            magicValue = try header.run()
        } catch {
            throw CheckpointProblem(
                .unsupported, "not a PyTorch checkpoint (neither a torch.save zip archive nor the legacy format)")
        }
        guard case .bigInt(let m) = magicValue, m == magic else {
            throw CheckpointProblem(
                .unsupported, "not a PyTorch checkpoint (neither a torch.save zip archive nor the legacy format)")
        }
        var version = PickleMachine(bytes, label: "the legacy protocol version", position: header.position)
        guard try version.run().asInt == protocolVersion else {
            throw CheckpointProblem(.unsupported, "a legacy checkpoint of an unknown protocol version")
        }
        var sysInfo = PickleMachine(bytes, label: "the legacy sys_info", position: version.position)
        _ = try sysInfo.run()  // the storages below are little-endian whatever the saving machine was

        // Storages by root key, as first seen (torch keeps the first dtype too).
        var roots: [String: StorageReference] = [:]
        var objectPickle = PickleMachine(bytes, label: "the legacy object pickle", position: sysInfo.position) { pid in
            if let parts = pid.asSequence, parts.count == 4, parts[0].asString == "module" {
                // ('module', cls, source_file, source): the class, as an inert name.
                guard case .global(.moduleClass) = parts[1] else {
                    throw CheckpointProblem(.refusedGlobal, "refused module persistent id of a \(parts[1].typeName)")
                }
                return parts[1]
            }
            let (ref, view) = try PersistentID.storage(pid)
            if roots[ref.key] == nil { roots[ref.key] = ref }
            let root = roots[ref.key] ?? ref
            if case .none = view {
                return .storage(StorageReference(key: ref.key, dtype: root.dtype, count: ref.count, viewOf: nil))
            }
            // (view_key, offset, view_size): old torch's storage views, elements of the root storage.
            guard let v = view.asSequence, v.count == 3, let viewKey = v[0].asString, let offset = v[1].asInt,
                let size = v[2].asInt, offset >= 0, size >= 0
            else { throw CheckpointProblem(.malformed, "a storage view that is not (key, offset, size)") }
            return .storage(StorageReference(key: viewKey, dtype: root.dtype, count: size, viewOf: (ref.key, offset)))
        }
        let root = try objectPickle.run()
        var keysPickle = PickleMachine(bytes, label: "the legacy storage keys", position: objectPickle.position)
        guard let keys = try keysPickle.run().asSequence?.map({ $0.asString }) else {
            throw CheckpointProblem(.malformed, "the legacy storage keys are not a list")
        }

        var reader = ByteReader(bytes, label: "the legacy storage data", position: keysPickle.position)
        var data: [String: ArraySlice<UInt8>] = [:]
        for key in keys {
            guard let key, let ref = roots[key] else {
                throw CheckpointProblem(.malformed, "the legacy storage keys name a storage the pickle never used")
            }
            let start = reader.position
            let count = try reader.unsignedLE(8, "storage \(key)'s element count")
            guard count == UInt64(ref.count) else {
                throw CheckpointProblem(
                    .malformed, "storage \(key) at byte \(start) has \(count) elements, the pickle says \(ref.count)")
            }
            data[key] = try reader.take(try PersistentID.byteCount(ref), "storage \(key)'s \(ref.count) elements")
        }

        let storageBytes: (StorageReference) throws -> ArraySlice<UInt8> = { ref in
            let rootKey = ref.viewOf?.key ?? ref.key
            guard let bytes = data[rootKey] else {
                throw CheckpointProblem(.malformed, "storage \(rootKey) has no data in the file")
            }
            let es = ref.dtype.elementSize
            let offset = (ref.viewOf?.offset ?? 0)
            let (start, o1) = offset.multipliedReportingOverflow(by: es)
            let length = try PersistentID.byteCount(ref)
            let (end, o2) = start.addingReportingOverflow(length)
            guard !o1, !o2, end <= bytes.count else {
                throw CheckpointProblem(
                    .outOfBounds, "storage view \(ref.key) of \(rootKey) reaches past its \(bytes.count) bytes")
            }
            return bytes[(bytes.startIndex + start)..<(bytes.startIndex + end)]
        }
        return LoadedPickle(root: root, format: .legacy, bigEndian: false, storageBytes: storageBytes)
    }
}
