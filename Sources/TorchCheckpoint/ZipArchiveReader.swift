import Foundation
import ZIPFoundation

/// Reads torch.save's zip format (torch ≥ 1.6) into memory: data.pkl, then each storage record.
/// Why in memory: nothing is ever extracted to disk, so an entry name can never write anywhere.
// torch/serialization.py _save: <archive>/data.pkl, <archive>/byteorder, <archive>/data/<key> per storage,
// <archive>/version; caffe2/serialize/inline_container.cc: the archive folder is the first entry's.
enum ZipArchiveReader {
    /// The largest data.pkl read (a pickle of a module tree with its source is a few MB).
    static let maxPickleBytes = 1 << 30

    static func load(url: URL, fileSize: Int) throws -> LoadedPickle {
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw CheckpointProblem(
                .truncated, "truncated or damaged: a zip archive without a readable central directory (\(error))")
        }
        let entries = Array(archive)
        for entry in entries { try checkName(entry.path) }
        guard let first = entries.first else { throw CheckpointProblem(.malformed, "an empty zip archive") }
        let folder = String(first.path.prefix { $0 != "/" })
        let byPath = Dictionary(entries.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })

        // torch/jit/_serialization.py: TorchScript archives add constants.pkl and code/ (its data.pkl names
        // __torch__ classes, which would be refused as globals; this says what the file is instead).
        if byPath[folder + "/constants.pkl"] != nil || byPath.keys.contains(where: { $0.hasPrefix(folder + "/code/") }) {
            throw CheckpointProblem(
                .unsupported,
                "a TorchScript archive (torch.jit.save), not a checkpoint; save model.state_dict() with torch.save")
        }
        guard let pickleEntry = byPath[folder + "/data.pkl"] else {
            throw CheckpointProblem(.malformed, "a zip archive without \(folder)/data.pkl, not a torch.save checkpoint")
        }
        var bigEndian = false
        if let order = byPath[folder + "/byteorder"] {
            let text = String(decoding: try read(order, in: archive, limit: 16, fileSize: fileSize), as: UTF8.self)
            switch text {
            case "little": bigEndian = false
            case "big": bigEndian = true
            default: throw CheckpointProblem(.malformed, "\(folder)/byteorder says \"\(text.prefix(16))\"")
            }
        }
        let pickle = try read(pickleEntry, in: archive, limit: maxPickleBytes, fileSize: fileSize)
        var machine = PickleMachine(pickle, label: pickleEntry.path) { pid in
            let (ref, _) = try PersistentID.storage(pid)
            return .storage(ref)
        }
        let root = try machine.run()

        var cache: [String: [UInt8]] = [:]
        let storageBytes: (StorageReference) throws -> ArraySlice<UInt8> = { ref in
            let needed = try PersistentID.byteCount(ref)
            let record = folder + "/data/" + ref.key
            if cache[ref.key] == nil {
                guard let entry = byPath[record] else {
                    throw CheckpointProblem(.malformed, "storage record \(record) is missing")
                }
                cache[ref.key] = try read(entry, in: archive, limit: needed, fileSize: fileSize)
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
    static func checkName(_ name: String) throws {
        let parts = name.split(omittingEmptySubsequences: false) { $0 == "/" || $0 == "\\" }
        let absolute = name.hasPrefix("/") || name.hasPrefix("\\") || (parts.first?.contains(":") ?? false)
        if absolute || parts.contains("..") {
            throw CheckpointProblem(.unsafeEntryName, "zip entry \"\(name)\" climbs out of the archive folder (refused)")
        }
    }

    /// One entry's bytes, at most `limit` (an entry larger than it says, or shorter, is refused).
    private static func read(_ entry: Entry, in archive: Archive, limit: Int, fileSize: Int) throws -> [UInt8] {
        guard entry.type == .file else {
            throw CheckpointProblem(.malformed, "zip entry \(entry.path) is a \(entry.type), not a file")
        }
        let size = entry.uncompressedSize
        guard size <= UInt64(limit) else {
            throw CheckpointProblem(.outOfBounds, "zip entry \(entry.path) is \(size) bytes, more than the \(limit) expected")
        }
        // Deflate cannot shrink more than about 1032:1; a stored entry cannot be larger than the file.
        let bound = entry.isCompressed ? min(entry.compressedSize, UInt64(fileSize)) * 1032 : UInt64(fileSize)
        guard size <= bound else {
            throw CheckpointProblem(.outOfBounds, "zip entry \(entry.path) claims \(size) bytes in a \(fileSize)-byte file")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(size))
        let checksum: CRC32
        do {
            checksum = try archive.extract(entry, bufferSize: 1 << 16) { chunk in
                guard bytes.count + chunk.count <= Int(size) else {
                    throw CheckpointProblem(.malformed, "zip entry \(entry.path) holds more than its \(size) bytes")
                }
                bytes.append(contentsOf: chunk)
            }
        } catch let p as CheckpointProblem {
            throw p
        } catch {
            throw CheckpointProblem(.truncated, "truncated or damaged: zip entry \(entry.path) cannot be read (\(error))")
        }
        guard bytes.count == Int(size) else {
            throw CheckpointProblem(
                .truncated, "truncated: zip entry \(entry.path) has \(bytes.count) of its \(size) bytes in the file")
        }
        guard checksum == entry.checksum else {
            throw CheckpointProblem(.malformed, "zip entry \(entry.path) fails its CRC-32 check (damaged)")
        }
        return bytes
    }
}
