/// Reads torch.save's zip format (torch ≥ 1.6) into memory: data.pkl, then each storage record.
/// Why in memory: nothing is ever extracted to disk, so an entry name can never write anywhere;
/// a climbing name is refused anyway, because the file is not what torch.save writes.
// torch/serialization.py _save: <archive>/data.pkl, <archive>/byteorder, <archive>/data/<key> per storage,
// <archive>/version; caffe2/serialize/inline_container.cc: the archive folder is the first entry's.
package enum ZipArchiveReader {
    /// The largest data.pkl read (a pickle of a module tree with its source is a few MB).
    static let maxPickleBytes = 1 << 30

    package static func load(_ bytes: [UInt8]) throws -> LoadedPickle {
        let zip = try ZipDirectory(bytes)
        for entry in zip.entries { try checkName(entry.name) }
        guard let first = zip.entries.first else { throw CheckpointProblem(.malformed, "an empty zip archive") }
        let folder = String(first.name.prefix { $0 != "/" })
        let byName = Dictionary(zip.entries.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })

        // torch/jit/_serialization.py: TorchScript archives add constants.pkl and code/ (its data.pkl names
        // __torch__ classes, which would be refused as globals; this says what the file is instead).
        if byName[folder + "/constants.pkl"] != nil || byName.keys.contains(where: { $0.hasPrefix(folder + "/code/") })
        {
            throw CheckpointProblem(
                .unsupported,
                "a TorchScript archive (torch.jit.save), not a checkpoint; save model.state_dict() with torch.save")
        }
        guard let pickleEntry = byName[folder + "/data.pkl"] else {
            throw CheckpointProblem(.malformed, "a zip archive without \(folder)/data.pkl, not a torch.save checkpoint")
        }
        var bigEndian = false
        if let order = byName[folder + "/byteorder"] {
            let text = String(decoding: try zip.read(order, limit: 16), as: UTF8.self)
            switch text {
            case "little": bigEndian = false
            case "big": bigEndian = true
            default: throw CheckpointProblem(.malformed, "\(folder)/byteorder says \"\(text.prefix(16))\"")
            }
        }
        let pickle = try zip.read(pickleEntry, limit: maxPickleBytes)
        var machine = PickleMachine(pickle, label: pickleEntry.name) { pid in
            let (ref, _) = try PersistentID.storage(pid)
            return .storage(ref)
        }
        let root = try machine.run()

        var cache: [String: [UInt8]] = [:]
        let storageBytes: (StorageReference) throws -> ArraySlice<UInt8> = { ref in
            let needed = try PersistentID.byteCount(ref)
            let record = folder + "/data/" + ref.key
            if cache[ref.key] == nil {
                guard let entry = byName[record] else {
                    throw CheckpointProblem(.malformed, "storage record \(record) is missing")
                }
                cache[ref.key] = try zip.read(entry, limit: needed)
            }
            let bytes = cache[ref.key] ?? []
            guard bytes.count >= needed else {
                throw CheckpointProblem(
                    .outOfBounds,
                    "storage record \(record) holds \(bytes.count) bytes, the pickle says \(ref.count) "
                        + "\(ref.dtype.rawValue) elements (\(needed) bytes)")
            }
            return bytes[0..<needed]
        }
        return LoadedPickle(root: root, format: .zip(archive: folder), bigEndian: bigEndian, storageBytes: storageBytes)
    }

    /// Refuses an absolute entry name or one with a `..` component (a zip-slip name).
    package static func checkName(_ name: String) throws {
        let parts = name.split(omittingEmptySubsequences: false) { $0 == "/" || $0 == "\\" }
        let absolute = name.hasPrefix("/") || name.hasPrefix("\\") || (parts.first?.contains(":") ?? false)
        if absolute || parts.contains("..") {
            throw CheckpointProblem(
                .unsafeEntryName, "zip entry \"\(name)\" climbs out of the archive folder (refused)")
        }
    }
}
