import Foundation

/// Writes Float32 tensors in the safetensors format, byte for byte as the Python library does.
public enum Safetensors {
    /// The header and data of a file holding `tensors` (all F32) and `metadata` (left out when empty).
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:])
        throws(SafetensorsError) -> [UInt8]
    {
        let (header, order) = try header(tensors, metadata: metadata, file: "<memory>")
        var bytes = header
        bytes.reserveCapacity(header.count + order.reduce(0) { $0 + $1.count * 4 })
        for tensor in order {
            bytes.append(contentsOf: UnsafeRawBufferPointer(start: tensor.data, count: tensor.count * 4))
        }
        return bytes
    }

    /// Writes `tensors` and `metadata` to `path` through a temporary file renamed into place, so a
    /// crash leaves either the old file or the new one.
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], to path: String)
        throws(SafetensorsError)
    {
        let (header, order) = try header(tensors, metadata: metadata, file: path)
        let data = order.map { UnsafeRawBufferPointer(start: $0.data, count: $0.count * 4) }
        let result = withExtendedLifetime(order) {
            header.withUnsafeBytes { header in
                Result { () throws(FileIOError) in try writeFileAtomically(path, [header] + data) }
            }
        }
        if case .failure(let error) = result { throw SafetensorsError(file: path, .writeFailed(error.message)) }
    }

    // safetensors (Rust) serialize: data ordered by dtype then name, header JSON compact with
    // "__metadata__" first and fields dtype, shape, data_offsets, padded with spaces to 8 bytes.
    /// The length field and header of a file holding `tensors`, and the tensors in data order.
    static func header(_ tensors: [String: Tensor], metadata: [String: String], file: String)
        throws(SafetensorsError) -> (bytes: [UInt8], order: [Tensor])
    {
        if tensors[SafetensorsHeader.metadataKey] != nil {
            throw SafetensorsError(file: file, .invalidName(SafetensorsHeader.metadataKey))
        }
        let names = tensors.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            let object = pairs.map { json($0.key) + ":" + json($0.value) }.joined(separator: ",")
            fields.append(json(SafetensorsHeader.metadataKey) + ":{" + object + "}")
        }
        var offset = 0
        for name in names {
            let tensor = tensors[name]!
            let shape = tensor.shape.dims.map(String.init).joined(separator: ",")
            let end = offset + tensor.count * 4
            fields.append(json(name) + ":{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var text = Array(("{" + fields.joined(separator: ",") + "}").utf8)
        text.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - text.count % 8) % 8))
        let length = withUnsafeBytes(of: UInt64(text.count).littleEndian) { Array($0) }
        return (length + text, names.map { tensors[$0]! })
    }

    // serde_json string escaping: quote, backslash and control characters; everything else as UTF-8.
    /// `text` as a JSON string literal.
    static func json(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case let c where c.value < 0x20: out += "\\u00" + (c.value < 0x10 ? "0" : "") + String(c.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
