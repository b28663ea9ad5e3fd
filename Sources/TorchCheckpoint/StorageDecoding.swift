/// A storage's element type, as the storage class of its persistent id names it (`torch.HalfStorage`).
public enum StorageDType: String, Sendable, CaseIterable {
    case float32, float16, bfloat16, float64, int64, int32, int16, int8, uint8, bool

    /// Bytes per element (torch/_utils.py `_element_size`).
    public var elementSize: Int {
        switch self {
        case .float64, .int64: return 8
        case .float32, .int32: return 4
        case .float16, .bfloat16, .int16: return 2
        case .int8, .uint8, .bool: return 1
        }
    }
}

/// Reads a tensor view out of its storage's bytes as contiguous row-major Float32.
/// Why here and not in the pickle: only now are the storage's bytes known, and every index is checked.
package enum StorageDecoding {
    /// The elements of `tensor`, named `name` in messages, from `bytes` (its whole storage).
    package static func values(
        of tensor: TensorReference, name: String, storageBytes bytes: ArraySlice<UInt8>, bigEndian: Bool
    ) throws -> [Float] {
        let dtype = tensor.storage.dtype
        let storageCount = bytes.count / dtype.elementSize
        let count = try elementCount(tensor.shape, name: name)
        if count == 0 { return [] }
        // The last element the view reaches: offset + sum((size - 1) * stride), overflow-checked.
        var last = tensor.offset
        for (size, stride) in zip(tensor.shape, tensor.strides) {
            let (step, o1) = (size - 1).multipliedReportingOverflow(by: stride)
            let (sum, o2) = last.addingReportingOverflow(step)
            guard !o1, !o2 else { throw outOfBounds(tensor, name: name, storageCount: storageCount) }
            last = sum
        }
        guard last < storageCount else { throw outOfBounds(tensor, name: name, storageCount: storageCount) }

        let read = reader(dtype, bigEndian: bigEndian)
        var out = [Float](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            if isContiguous(tensor) {
                for i in 0..<count { out[i] = read(raw, tensor.offset + i) }
                return
            }
            // An odometer over the indices in row-major order (a transposed view, a slice). A size-1
            // dimension's stride is never stepped, so it may be anything; it is taken as 0.
            let strides = zip(tensor.shape, tensor.strides).map { $0 == 1 ? 0 : $1 }
            var index = [Int](repeating: 0, count: tensor.shape.count)
            var position = tensor.offset
            for i in 0..<count {
                out[i] = read(raw, position)
                var d = tensor.shape.count - 1
                while d >= 0 {
                    index[d] += 1
                    position += strides[d]
                    if index[d] < tensor.shape[d] { break }
                    position -= strides[d] * tensor.shape[d]
                    index[d] = 0
                    d -= 1
                }
            }
        }
        return out
    }

    /// The product of the sizes, refused when it overflows.
    package static func elementCount(_ shape: [Int], name: String) throws -> Int {
        var count = 1
        for size in shape {
            let (p, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else {
                throw CheckpointProblem(.outOfBounds, "tensor \(name): shape \(shape) is too large")
            }
            count = p
        }
        return count
    }

    private static func isContiguous(_ t: TensorReference) -> Bool {
        var expected = 1
        for d in stride(from: t.shape.count - 1, through: 0, by: -1) {
            if t.shape[d] != 1 && t.strides[d] != expected { return false }
            expected *= t.shape[d]
        }
        return true
    }

    private static func outOfBounds(_ t: TensorReference, name: String, storageCount: Int) -> CheckpointProblem {
        CheckpointProblem(
            .outOfBounds,
            "tensor \(name) (size \(t.shape), stride \(t.strides), storage offset \(t.offset)) reaches past the end "
                + "of its storage \(t.storage.key) of \(storageCount) \(t.storage.dtype.rawValue) elements")
    }

    /// Element `i` of a raw buffer as Float; the caller has checked `i` is in range.
    private static func reader(_ dtype: StorageDType, bigEndian: Bool) -> (UnsafeRawBufferPointer, Int) -> Float {
        func u16(_ r: UnsafeRawBufferPointer, _ i: Int) -> UInt16 {
            let v = r.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)
            return bigEndian ? UInt16(bigEndian: v) : UInt16(littleEndian: v)
        }
        func u32(_ r: UnsafeRawBufferPointer, _ i: Int) -> UInt32 {
            let v = r.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)
            return bigEndian ? UInt32(bigEndian: v) : UInt32(littleEndian: v)
        }
        func u64(_ r: UnsafeRawBufferPointer, _ i: Int) -> UInt64 {
            let v = r.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)
            return bigEndian ? UInt64(bigEndian: v) : UInt64(littleEndian: v)
        }
        switch dtype {
        case .float32: return { Float(bitPattern: u32($0, $1)) }
        case .float16: return { halfToFloat(u16($0, $1)) }
        case .bfloat16: return { Float(bitPattern: UInt32(u16($0, $1)) << 16) }
        case .float64: return { Float(Double(bitPattern: u64($0, $1))) }
        case .int64: return { Float(Int64(bitPattern: u64($0, $1))) }
        case .int32: return { Float(Int32(bitPattern: u32($0, $1))) }
        case .int16: return { Float(Int16(bitPattern: u16($0, $1))) }
        case .int8: return { Float(Int8(bitPattern: $0[$1])) }
        case .uint8: return { Float($0[$1]) }
        case .bool: return { $0[$1] != 0 ? 1 : 0 }
        }
    }

    /// IEEE 754 binary16 to binary32, exactly (subnormals, infinities and NaN kept).
    package static func halfToFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exponent = UInt32(h >> 10) & 0x1F
        let mantissa = UInt32(h & 0x3FF)
        switch exponent {
        case 0:
            let magnitude = Float(mantissa) * 0x1p-24  // zero or subnormal: mantissa × 2^-24
            return sign == 0 ? magnitude : -magnitude
        case 0x1F:
            return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
        default:
            return Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13)
        }
    }
}
