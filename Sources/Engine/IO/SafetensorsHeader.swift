import Foundation

#if _endian(big)
#error("safetensors data is little-endian; this code copies it as host floats")
#endif

/// The element types of the safetensors format (safetensors `Dtype`), with their sizes.
enum SafetensorsDType: String {
    case bool = "BOOL", u8 = "U8", i8 = "I8", f8e5m2 = "F8_E5M2", f8e4m3 = "F8_E4M3"
    case i16 = "I16", u16 = "U16", f16 = "F16", bf16 = "BF16"
    case i32 = "I32", u32 = "U32", f32 = "F32", f64 = "F64", i64 = "I64", u64 = "U64"

    var size: Int {
        switch self {
        case .bool, .u8, .i8, .f8e5m2, .f8e4m3: 1
        case .i16, .u16, .f16, .bf16: 2
        case .i32, .u32, .f32: 4
        case .f64, .i64, .u64: 8
        }
    }
}

/// One tensor of a file: its element type, shape and byte range in the data section.
public struct SafetensorsEntry: Equatable, Sendable {
    /// The format's type name, e.g. "F32".
    public let dtype: String
    public let shape: Shape
    let bytes: Range<Int>
}

/// The JSON header: `{"__metadata__": {...}, "<name>": {"dtype", "shape", "data_offsets"}, ...}`.
struct SafetensorsHeader: Decodable {
    /// The largest header the Python library accepts (safetensors MAX_HEADER_SIZE).
    static let maxBytes = 100_000_000
    static let metadataKey = "__metadata__"

    var metadata: [String: String] = [:]
    var entries: [String: SafetensorsEntry] = [:]

    /// A problem found while parsing, before the file's name is attached.
    struct Invalid: Error {
        let problem: SafetensorsError.Problem
        init(_ problem: SafetensorsError.Problem) { self.problem = problem }
    }

    private struct Key: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    private struct RawEntry: Decodable {
        let dtype: String
        let shape: [Int]
        let dataOffsets: [Int]
        enum CodingKeys: String, CodingKey { case dtype, shape, dataOffsets = "data_offsets" }
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        for key in container.allKeys {
            if key.stringValue == Self.metadataKey {
                metadata = try container.decode([String: String].self, forKey: key)
            } else {
                entries[key.stringValue] = try Self.entry(key.stringValue, container.decode(RawEntry.self, forKey: key))
            }
        }
    }

    private static func entry(_ name: String, _ raw: RawEntry) throws(Invalid) -> SafetensorsEntry {
        guard let dtype = SafetensorsDType(rawValue: raw.dtype) else {
            throw Invalid(.badHeader("tensor '\(name)' has unknown dtype '\(raw.dtype)'"))
        }
        guard raw.shape.allSatisfy({ $0 >= 0 }) else {
            throw Invalid(.badHeader("tensor '\(name)' has a negative dimension in \(raw.shape)"))
        }
        guard raw.dataOffsets.count == 2, raw.dataOffsets[0] >= 0, raw.dataOffsets[0] <= raw.dataOffsets[1] else {
            throw Invalid(.badOffsets("tensor '\(name)' has data_offsets \(raw.dataOffsets)"))
        }
        var bytes = dtype.size
        for dim in raw.shape {
            let (product, overflow) = bytes.multipliedReportingOverflow(by: dim)
            guard !overflow else { throw Invalid(.badHeader("tensor '\(name)' has a shape too large: \(raw.shape)")) }
            bytes = product
        }
        let range = raw.dataOffsets[0]..<raw.dataOffsets[1]
        guard range.count == bytes else {
            throw Invalid(.badOffsets("tensor '\(name)' spans \(range.count) bytes at \(raw.dataOffsets), "
                + "but \(raw.dtype) \(raw.shape) needs \(bytes)"))
        }
        return SafetensorsEntry(dtype: raw.dtype, shape: Shape(raw.shape), bytes: range)
    }

    /// Parses and checks the header of a whole file's `bytes`; `source` names the file in errors.
    ///
    /// Checks what the Python library checks: tensors lie back to back in offset order and cover
    /// the data section exactly.
    static func parse(_ bytes: UnsafeRawBufferPointer, source: String) throws(SafetensorsError)
        -> (header: Self, dataStart: Int)
    {
        do {
            return try parse(bytes)
        } catch {
            throw SafetensorsError(file: source, error.problem)
        }
    }

    private static func parse(_ bytes: UnsafeRawBufferPointer) throws(Invalid) -> (header: Self, dataStart: Int) {
        guard bytes.count >= 8 else {
            throw Invalid(.truncated("\(bytes.count) bytes, shorter than the 8-byte header length"))
        }
        let length = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        guard length <= UInt64(maxBytes) else {
            throw Invalid(.badHeader("header length \(length) is over the \(maxBytes)-byte limit"))
        }
        guard Int(length) <= bytes.count - 8 else {
            throw Invalid(.truncated("the header is \(length) bytes but only \(bytes.count - 8) follow its length"))
        }
        let dataStart = 8 + Int(length)
        let json = Data(UnsafeRawBufferPointer(rebasing: bytes[8..<dataStart]))
        let header: Self
        do {
            header = try JSONDecoder().decode(Self.self, from: json)
        } catch let invalid as Invalid {
            throw invalid
        } catch let error as DecodingError {
            throw Invalid(.badHeader(describe(error)))
        } catch {
            throw Invalid(.badHeader("\(error)"))
        }
        var end = 0
        let byOffset = header.entries.sorted {
            ($0.value.bytes.lowerBound, $0.key) < ($1.value.bytes.lowerBound, $1.key)
        }
        for (name, entry) in byOffset {
            let start = entry.bytes.lowerBound
            guard start == end else {
                throw Invalid(.badOffsets("tensor '\(name)' starts at data byte \(start), expected \(end)"))
            }
            end = entry.bytes.upperBound
        }
        let dataBytes = bytes.count - dataStart
        guard end <= dataBytes else {
            throw Invalid(.truncated("the tensors need \(end) bytes of data but \(dataBytes) follow the header"))
        }
        guard end == dataBytes else {
            throw Invalid(.badOffsets("the tensors cover \(end) bytes of data but \(dataBytes) follow the header"))
        }
        return (header, dataStart)
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            if context.codingPath.isEmpty { return "the top level" }
            return context.codingPath.map { "'\($0.stringValue)'" }.joined(separator: " → ")
        }
        switch error {
        case .dataCorrupted(let context): return "not valid JSON (\(context.debugDescription))"
        case .keyNotFound(let key, let context): return "\(path(context)) lacks '\(key.stringValue)'"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let expected = switch type {
            case is String.Type: "a string"
            case is Int.Type: "an integer"
            case is [Int].Type: "a list of integers"
            default: "an object"
            }
            return "\(path(context)) should be \(expected)"
        @unknown default: return "\(error)"
        }
    }
}
