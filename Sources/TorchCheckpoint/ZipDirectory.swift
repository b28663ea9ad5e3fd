import Foundation
import ZIPFoundation

/// A zip archive's entries, parsed from its bytes in memory with every offset and size checked.
/// Why not ZIPFoundation's `Archive`: fuzzing the fixtures found it trapping ("Not enough bits to
/// represent the passed value") on a damaged central directory; ZIPFoundation is kept for what it does
/// safely here: inflating a deflated entry through zlib, and CRC-32.
// PKWARE APPNOTE.TXT 4.3: end of central directory (4.3.16), ZIP64 end record and locator (4.3.14–15),
// central directory headers (4.3.12), local file headers (4.3.7), ZIP64 extra field (4.5.3).
package struct ZipDirectory {
    package struct Entry {
        package let name: String
        let method: UInt16
        let crc32: UInt32
        let compressedSize: Int
        let uncompressedSize: Int
        /// Where the local header starts (its data follows its name and extra field).
        let localHeaderOffset: Int
        let encrypted: Bool
    }

    let bytes: [UInt8]
    package let entries: [Entry]

    package init(_ bytes: [UInt8]) throws {
        self.bytes = bytes
        let (count, directoryOffset, directorySize) = try Self.endOfCentralDirectory(bytes)
        var r = ByteReader(bytes, label: "the zip central directory", position: directoryOffset)
        guard directoryOffset <= bytes.count, directorySize <= bytes.count - directoryOffset,
            count <= directorySize / 46
        else {
            throw CheckpointProblem(.truncated, "truncated or damaged: the zip central directory lies outside the file")
        }
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let start = r.position
            guard try r.unsignedLE(4, "a central directory signature") == 0x0201_4B50 else {
                throw CheckpointProblem(.malformed, "damaged: no central directory header at byte \(start)")
            }
            _ = try r.take(4, "versions")
            let flags = UInt16(try r.unsignedLE(2, "flags"))
            let method = UInt16(try r.unsignedLE(2, "a compression method"))
            _ = try r.take(4, "a time and date")
            let crc = UInt32(try r.unsignedLE(4, "a CRC-32"))
            var compressed = try r.unsignedLE(4, "a compressed size")
            var uncompressed = try r.unsignedLE(4, "an uncompressed size")
            let nameLength = try r.length(2, "a name length")
            let extraLength = try r.length(2, "an extra field length")
            let commentLength = try r.length(2, "a comment length")
            _ = try r.take(8, "disk and attributes")
            var offset = try r.unsignedLE(4, "a local header offset")
            let name = String(decoding: try r.take(nameLength, "a name"), as: UTF8.self)
            var extra = ByteReader(
                Array(try r.take(extraLength, "an extra field")), label: "the extra field of \(name)")
            _ = try r.take(commentLength, "a comment")
            // ZIP64: the fields saturated at 0xFFFFFFFF are in extra field 0x0001, in this order.
            while extra.remaining >= 4 {
                let id = try extra.unsignedLE(2, "an extra field id")
                let size = try extra.length(2, "an extra field size")
                var field = ByteReader(
                    Array(try extra.take(size, "an extra field")), label: "the ZIP64 field of \(name)")
                guard id == 0x0001 else { continue }
                if uncompressed == 0xFFFF_FFFF { uncompressed = try field.unsignedLE(8, "a ZIP64 uncompressed size") }
                if compressed == 0xFFFF_FFFF { compressed = try field.unsignedLE(8, "a ZIP64 compressed size") }
                if offset == 0xFFFF_FFFF { offset = try field.unsignedLE(8, "a ZIP64 local header offset") }
            }
            guard compressed <= UInt64(bytes.count), offset <= UInt64(bytes.count), uncompressed <= UInt64(Int.max / 2)
            else {
                throw CheckpointProblem(.outOfBounds, "zip entry \(name) claims sizes or an offset beyond the file")
            }
            entries.append(
                Entry(
                    name: name, method: method, crc32: crc, compressedSize: Int(compressed),
                    uncompressedSize: Int(uncompressed), localHeaderOffset: Int(offset), encrypted: flags & 1 != 0))
        }
        self.entries = entries
    }

    /// (entry count, central directory offset, central directory size), from the classic or ZIP64 end record.
    private static func endOfCentralDirectory(_ bytes: [UInt8]) throws -> (Int, Int, Int) {
        // The end record is 22 bytes plus a comment of at most 65535, at the very end of the file.
        let lowest = max(0, bytes.count - 22 - 65535)
        var at = bytes.count - 22
        while at >= lowest {
            if bytes[at] == 0x50, bytes[at + 1] == 0x4B, bytes[at + 2] == 0x05, bytes[at + 3] == 0x06 { break }
            at -= 1
        }
        guard at >= lowest else {
            throw CheckpointProblem(
                .truncated, "truncated or damaged: a zip archive without its end of central directory")
        }
        var r = ByteReader(bytes, label: "the zip end record", position: at + 10)
        var count = try r.unsignedLE(2, "an entry count")
        var size = try r.unsignedLE(4, "a central directory size")
        var offset = try r.unsignedLE(4, "a central directory offset")
        if count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
            // The ZIP64 locator sits just before the end record and points at the ZIP64 end record.
            var locator = ByteReader(bytes, label: "the ZIP64 locator", position: at - 20)
            guard at >= 20, try locator.unsignedLE(4, "a ZIP64 locator signature") == 0x0706_4B50 else {
                throw CheckpointProblem(.malformed, "damaged: a ZIP64 archive without its locator")
            }
            _ = try locator.take(4, "a disk number")
            let recordOffset = try locator.unsignedLE(8, "a ZIP64 end record offset")
            guard recordOffset <= UInt64(bytes.count) else {
                throw CheckpointProblem(.truncated, "truncated or damaged: the ZIP64 end record lies outside the file")
            }
            var record = ByteReader(bytes, label: "the ZIP64 end record", position: Int(recordOffset))
            guard try record.unsignedLE(4, "a ZIP64 end record signature") == 0x0606_4B50 else {
                throw CheckpointProblem(.malformed, "damaged: no ZIP64 end record where its locator points")
            }
            _ = try record.take(28, "sizes, versions and disks")
            count = try record.unsignedLE(8, "a ZIP64 entry count")
            size = try record.unsignedLE(8, "a ZIP64 central directory size")
            offset = try record.unsignedLE(8, "a ZIP64 central directory offset")
        }
        guard count <= UInt64(bytes.count), size <= UInt64(bytes.count), offset <= UInt64(bytes.count) else {
            throw CheckpointProblem(.truncated, "truncated or damaged: the zip central directory lies outside the file")
        }
        return (Int(count), Int(offset), Int(size))
    }

    /// An entry's bytes, at most `limit`; stored or deflated, length and CRC-32 checked.
    package func read(_ entry: Entry, limit: Int) throws -> [UInt8] {
        guard !entry.encrypted else { throw CheckpointProblem(.unsupported, "zip entry \(entry.name) is encrypted") }
        guard entry.uncompressedSize <= limit else {
            throw CheckpointProblem(
                .outOfBounds,
                "zip entry \(entry.name) is \(entry.uncompressedSize) bytes, more than the \(limit) expected")
        }
        var header = ByteReader(bytes, label: "the local header of \(entry.name)", position: entry.localHeaderOffset)
        guard entry.localHeaderOffset <= bytes.count - 30,
            try header.unsignedLE(4, "a local header signature") == 0x0403_4B50
        else {
            throw CheckpointProblem(.malformed, "damaged: no local header for zip entry \(entry.name)")
        }
        _ = try header.take(22, "the local header")
        let nameLength = try header.length(2, "a name length")
        let extraLength = try header.length(2, "an extra field length")
        _ = try header.take(nameLength + extraLength, "the local name and extra field")
        let start = header.position
        guard entry.compressedSize <= bytes.count - start else {
            throw CheckpointProblem(
                .truncated, "truncated: zip entry \(entry.name) needs \(entry.compressedSize) bytes from byte \(start)")
        }
        let data = bytes[start..<(start + entry.compressedSize)]

        let out: [UInt8]
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.uncompressedSize else {
                throw CheckpointProblem(.malformed, "damaged: stored zip entry \(entry.name) has two sizes")
            }
            out = Array(data)
        case 8:
            out = try Self.inflate(data, size: entry.uncompressedSize, name: entry.name)
        default:
            throw CheckpointProblem(.unsupported, "zip entry \(entry.name) uses compression method \(entry.method)")
        }
        guard Self.crc32(out) == entry.crc32 else {
            throw CheckpointProblem(.malformed, "damaged: zip entry \(entry.name) fails its CRC-32 check")
        }
        return out
    }

    /// Deflate through ZIPFoundation (zlib), never producing more than `size` bytes.
    private static func inflate(_ data: ArraySlice<UInt8>, size: Int, name: String) throws -> [UInt8] {
        let chunk = 1 << 16
        var out: [UInt8] = []
        out.reserveCapacity(size)
        do {
            // zlib is told each chunk is `chunk` bytes long, so every chunk is exactly that (zero-padded);
            // asked for more than one padding chunk past the end, the stream is truncated.
            let provider: Provider = { position, _ in
                guard position <= Int64(data.count) else { throw CheckpointProblem(.truncated, "") }
                let from = data.startIndex + Int(position)
                var piece = Data(data[from..<min(from + chunk, data.endIndex)])
                piece.append(Data(count: chunk - piece.count))
                return piece
            }
            let consumer: Consumer = { piece in
                guard out.count + piece.count <= size else { throw CheckpointProblem(.malformed, "") }
                out.append(contentsOf: piece)
            }
            _ = try Data.decompress(
                size: Int64(data.count), bufferSize: chunk, skipCRC32: true, provider: provider, consumer: consumer)
        } catch let p as CheckpointProblem where p.kind == .truncated {
            throw CheckpointProblem(.truncated, "truncated: deflated zip entry \(name) ends early")
        } catch {
            throw CheckpointProblem(
                .malformed, "damaged: deflated zip entry \(name) does not inflate to its \(size) bytes")
        }
        guard out.count == size else {
            throw CheckpointProblem(
                .malformed, "damaged: deflated zip entry \(name) inflates to \(out.count) of \(size) bytes")
        }
        return out
    }

    /// CRC-32 (zlib's, through ZIPFoundation) in 1 MiB pieces: ZIPFoundation takes a piece's length as UInt32.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: CRC32 = 0
        var at = 0
        repeat {
            let end = min(at + (1 << 20), bytes.count)
            crc = Data(bytes[at..<end]).crc32(checksum: crc)
            at = end
        } while at < bytes.count
        return crc
    }
}
