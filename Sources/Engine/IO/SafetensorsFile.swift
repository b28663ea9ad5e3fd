import Foundation

/// A safetensors file read into memory, its header checked; tensors are converted on request.
public struct SafetensorsFile {
    /// The path, or the label given for bytes in memory; every error names it.
    public let source: String
    /// The `__metadata__` string map (empty when the file has none).
    public let metadata: [String: String]
    /// Every tensor's dtype and shape, by name.
    public let entries: [String: SafetensorsEntry]
    private let bytes: [UInt8]
    private let dataStart: Int

    /// Reads and checks the file at `path`.
    public init(path: String) throws(SafetensorsError) {
        let bytes: [UInt8]
        do {
            bytes = try readWholeFile(path)
        } catch {
            throw SafetensorsError(file: path, .unreadable(error.message))
        }
        try self.init(bytes: bytes, source: path)
    }

    /// Checks the bytes of a whole file; `source` names it in errors.
    public init(bytes: [UInt8], source: String = "<memory>") throws(SafetensorsError) {
        let parsed = try bytes.withUnsafeBytes { raw in
            Result { () throws(SafetensorsError) in try SafetensorsHeader.parse(raw, source: source) }
        }.get()
        self.source = source
        self.bytes = bytes
        dataStart = parsed.dataStart
        metadata = parsed.header.metadata
        entries = parsed.header.entries
    }

    /// The tensor names, sorted.
    public var names: [String] { entries.keys.sorted() }

    /// The tensor `name` as Float32 (F16, BF16 and F64 are converted).
    public func tensor(_ name: String) throws(SafetensorsError) -> Tensor {
        guard let entry = entries[name] else { throw SafetensorsError(file: source, .noSuchTensor(name)) }
        let tensor = Tensor(uninitialized: entry.shape)
        try read(name, entry, into: tensor.data)
        return tensor
    }

    /// Every tensor, by name.
    public func tensors() throws(SafetensorsError) -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for name in entries.keys { out[name] = try tensor(name) }
        return out
    }

    /// Copies the file's tensors into `targets` after checking that the names and shapes are
    /// exactly theirs; on any mismatch nothing is copied and one error lists every difference.
    public func load(into targets: [String: Tensor]) throws(SafetensorsError) {
        let missing = targets.keys.filter { entries[$0] == nil }.sorted()
        let extra = entries.keys.filter { targets[$0] == nil }.sorted()
        let misshapen = targets.sorted { $0.key < $1.key }.compactMap { name, tensor -> SafetensorsError.Misshapen? in
            guard let found = entries[name]?.shape, found != tensor.shape else { return nil }
            return .init(name: name, found: found, expected: tensor.shape)
        }
        guard missing.isEmpty, extra.isEmpty, misshapen.isEmpty else {
            throw SafetensorsError(file: source, .mismatch(missing: missing, extra: extra, misshapen: misshapen))
        }
        for (name, entry) in entries where !Self.readable.contains(entry.dtype) {
            throw SafetensorsError(file: source, .unsupportedDType(tensor: name, dtype: entry.dtype))
        }
        for (name, entry) in entries { try read(name, entry, into: targets[name]!.data) }
    }

    private static let readable: Set<String> = ["F32", "F16", "BF16", "F64"]

    /// Converts one tensor's data (little-endian, as the host) to Float32 at `out`.
    private func read(_ name: String, _ entry: SafetensorsEntry, into out: UnsafeMutablePointer<Float>)
        throws(SafetensorsError)
    {
        let count = entry.shape.count
        let supported = bytes.withUnsafeBytes { file -> Bool in
            let raw = UnsafeRawBufferPointer(rebasing: file[(dataStart + entry.bytes.lowerBound)...])
            switch SafetensorsDType(rawValue: entry.dtype) {
            case .f32:
                UnsafeMutableRawPointer(out).copyMemory(from: raw.baseAddress!, byteCount: count * 4)
            case .f16:
                for i in 0..<count { out[i] = Float(raw.loadUnaligned(fromByteOffset: 2 * i, as: Float16.self)) }
            case .bf16:
                for i in 0..<count {
                    out[i] = Float(bitPattern: UInt32(raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) << 16)
                }
            case .f64:
                for i in 0..<count { out[i] = Float(raw.loadUnaligned(fromByteOffset: 8 * i, as: Double.self)) }
            default:
                return false
            }
            return true
        }
        guard supported else {
            throw SafetensorsError(file: source, .unsupportedDType(tensor: name, dtype: entry.dtype))
        }
    }
}
