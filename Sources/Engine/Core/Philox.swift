/// Philox4x32-10, the counter-based generator of Salmon et al., "Parallel random numbers: as easy
/// as 1, 2, 3" (SC 2011) — also behind cuRAND, JAX and PyTorch's CUDA generator.
///
/// Value `i` of a stream depends only on (seed, i), so any thread can compute any slice and the
/// numbers are the same whatever the thread count.
public struct Philox: Sendable {
    public let seed: UInt64
    /// The next counter block to hand out (each block yields four 32-bit values).
    public var offset: UInt64

    public init(seed: UInt64, offset: UInt64 = 0) {
        self.seed = seed
        self.offset = offset
    }

    /// The four 32-bit outputs of counter block `counter`.
    @inline(__always)
    public static func block(seed: UInt64, counter: UInt64) -> SIMD4<UInt32> {
        var c = SIMD4<UInt32>(UInt32(truncatingIfNeeded: counter), UInt32(truncatingIfNeeded: counter >> 32), 0, 0)
        var k = SIMD2<UInt32>(UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
        for _ in 0..<10 {
            let p0 = UInt64(0xD251_1F53) &* UInt64(c[0])
            let p1 = UInt64(0xCD9E_8D57) &* UInt64(c[2])
            c = SIMD4(UInt32(truncatingIfNeeded: p1 >> 32) ^ c[1] ^ k[0], UInt32(truncatingIfNeeded: p1),
                      UInt32(truncatingIfNeeded: p0 >> 32) ^ c[3] ^ k[1], UInt32(truncatingIfNeeded: p0))
            k &+= SIMD2(0x9E37_79B9, 0xBB67_AE85)
        }
        return c
    }

    /// Fills `out` with uniform floats in [low, high), advancing the stream.
    public mutating func fillUniform(_ out: UnsafeMutableBufferPointer<Float>, low: Float = 0, high: Float = 1) {
        let blocks = (out.count + 3) / 4
        let base = offset, seed = seed, span = high - low
        ThreadPool.shared.parallelFor(blocks) { range in
            for b in range {
                let bits = Self.block(seed: seed, counter: base &+ UInt64(b))
                for lane in 0..<4 where b * 4 + lane < out.count {
                    out[b * 4 + lane] = low + span * Self.unit(bits[lane])
                }
            }
        }
        offset &+= UInt64(blocks)
    }

    /// Uniform floats in [low, high), advancing the stream.
    public mutating func uniform(_ count: Int, low: Float = 0, high: Float = 1) -> [Float] {
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { fillUniform($0, low: low, high: high) }
        return values
    }

    /// A uniform integer in 0..<bound, advancing the stream by one block.
    public mutating func nextInt(below bound: Int) -> Int {
        require(bound > 0, "Philox.nextInt: bound must be positive, got \(bound)")
        let bits = Self.block(seed: seed, counter: offset)
        offset &+= 1
        let wide = UInt64(bits[0]) | UInt64(bits[1]) << 32
        return Int(wide % UInt64(bound))
    }

    /// A uniform Float in [0, 1) from 24 random bits.
    @inline(__always)
    static func unit(_ bits: UInt32) -> Float { Float(bits >> 8) * 0x1p-24 }
}
