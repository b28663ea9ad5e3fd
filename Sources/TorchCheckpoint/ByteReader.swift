/// A cursor over bytes where every read is checked against the end.
/// Why: every length in a checkpoint comes from the file, so none may be trusted before it is checked.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var position: Int
    /// What the bytes are, for error messages ("data.pkl", "the legacy header").
    let label: String

    init(_ bytes: [UInt8], label: String, position: Int = 0) {
        self.bytes = bytes
        self.label = label
        self.position = min(max(0, position), bytes.count)
    }

    var remaining: Int { bytes.count - position }
    var isAtEnd: Bool { position >= bytes.count }

    private func needs(_ count: Int, for what: String) throws {
        guard count >= 0, count <= remaining else {
            throw CheckpointProblem(
                .truncated,
                "truncated: \(what) at byte \(position) of \(label) needs \(count) bytes, \(remaining) left")
        }
    }

    mutating func byte(_ what: String = "an opcode") throws -> UInt8 {
        try needs(1, for: what)
        defer { position += 1 }
        return bytes[position]
    }

    mutating func take(_ count: Int, _ what: String) throws -> ArraySlice<UInt8> {
        try needs(count, for: what)
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    /// Little-endian unsigned integer of `width` bytes (1…8).
    mutating func unsignedLE(_ width: Int, _ what: String) throws -> UInt64 {
        let slice = try take(width, what)
        var value: UInt64 = 0
        for (i, b) in slice.enumerated() { value |= UInt64(b) << (8 * UInt64(i)) }
        return value
    }

    /// A length field: little-endian unsigned, refused when it is larger than what is left.
    mutating func length(_ width: Int, _ what: String) throws -> Int {
        let start = position
        let raw = try unsignedLE(width, what)
        guard raw <= UInt64(remaining) else {
            throw CheckpointProblem(
                .truncated,
                "truncated: \(what) at byte \(start) of \(label) announces \(raw) bytes, \(remaining) left")
        }
        return Int(raw)
    }

    /// A newline-terminated line (the GLOBAL opcode's module and name), at most 1 KiB.
    mutating func line(_ what: String) throws -> String {
        let start = position
        var end = position
        while end < bytes.count, bytes[end] != 0x0A, end - start < 1024 { end += 1 }
        guard end < bytes.count, bytes[end] == 0x0A else {
            throw CheckpointProblem(.truncated, "truncated: \(what) at byte \(start) of \(label) has no end of line")
        }
        position = end + 1
        guard let text = String(validating: bytes[start..<end], as: UTF8.self) else {
            throw CheckpointProblem(.malformed, "\(label): \(what) at byte \(start) is not UTF-8")
        }
        return text
    }

    mutating func skip(to newPosition: Int) {
        position = min(max(0, newPosition), bytes.count)
    }
}
