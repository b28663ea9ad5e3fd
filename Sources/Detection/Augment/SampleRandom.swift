import Foundation
import Engine

/// The random draws of one training sample, from (seed, epoch, image index) alone.
///
/// Each sample has its own Philox stream, so an image's augmentation does not depend on thread
/// count, prefetch timing or where a run was resumed.
public struct SampleRandom {
    private var philox: Philox

    /// The stream of image `index` in `epoch` of a run seeded `seed`.
    public init(seed: UInt64, epoch: Int, index: Int) {
        // splitmix64 of (seed, epoch) picks the key; the image index picks a counter range of 2^24 blocks.
        var z = seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(epoch + 1)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        philox = Philox(seed: z ^ (z >> 31), offset: UInt64(index) << 24)
    }

    /// A uniform Double in [0, 1) from 53 random bits (Python's `random.random()`).
    public mutating func random() -> Double {
        let bits = Philox.block(seed: philox.seed, counter: philox.offset)
        philox.offset &+= 1
        let wide = (UInt64(bits[0]) | UInt64(bits[1]) << 32) >> 11
        return Double(wide) * 0x1p-53
    }

    /// A uniform Double in [a, b) (`random.uniform`).
    public mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * random() }

    /// A uniform integer in 0..<bound (`random.choice` of a range).
    public mutating func int(below bound: Int) -> Int { min(Int(random() * Double(bound)), bound - 1) }

    /// A standard normal draw (Box–Muller).
    public mutating func normal() -> Double {
        let u1 = 1 - random(), u2 = random()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }

    /// A Beta(a, a) draw for MixUp (`np.random.beta(32, 32)`): X/(X+Y) of two Gamma(a) draws.
    public mutating func beta(_ a: Double, _ b: Double) -> Double {
        let x = gamma(a), y = gamma(b)
        return x / (x + y)
    }

    // Marsaglia and Tsang, "A simple method for generating gamma variables" (2000), shape ≥ 1.
    private mutating func gamma(_ shape: Double) -> Double {
        let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            let x = normal()
            let v = (1 + c * x) * (1 + c * x) * (1 + c * x)
            if v <= 0 { continue }
            let u = random()
            if _log(u) < 0.5 * x * x + d - d * v + d * _log(v) { return d * v }
        }
    }
}

@inline(__always) private func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) private func _cos(_ x: Double) -> Double { Foundation.cos(x) }
