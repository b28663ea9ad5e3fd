/// The vector every kernel works in: 16 floats, two AVX2 registers with the Haswell target.
public typealias Vec = SIMD16<Float>

extension UnsafePointer where Pointee == Float {
    @inline(__always) func vec(_ i: Int) -> Vec { UnsafeRawPointer(self + i).loadUnaligned(as: Vec.self) }
    /// The `count` (< 16) floats from `i` in the low lanes, zeros above: a tail as one vector, so a
    /// costly lanewise function (exp) runs once for it rather than once per element.
    @inline(__always) func vec(_ i: Int, count: Int) -> Vec {
        var v = Vec()
        withUnsafeMutableBytes(of: &v) { $0.baseAddress!.copyMemory(from: self + i, byteCount: count * 4) }
        return v
    }
}

extension UnsafeMutablePointer where Pointee == Float {
    @inline(__always) func vec(_ i: Int) -> Vec { UnsafeRawPointer(self + i).loadUnaligned(as: Vec.self) }
    @inline(__always) func vec(_ i: Int, count: Int) -> Vec { UnsafePointer(self).vec(i, count: count) }
    @inline(__always) func store(_ v: Vec, _ i: Int) { UnsafeMutableRawPointer(self + i).storeBytes(of: v, as: Vec.self) }
    /// Stores the low `count` lanes of `v` from `i`.
    @inline(__always) func store(_ v: Vec, _ i: Int, count: Int) {
        withUnsafeBytes(of: v) { UnsafeMutableRawPointer(self + i).copyMemory(from: $0.baseAddress!, byteCount: count * 4) }
    }
}

extension SIMD16 where Scalar == Float {
    /// Lanewise clamp to [low, high], lowered to min/max instructions (the generic
    /// `clamped(lowerBound:upperBound:)` is scalarised and ~20× slower).
    @inline(__always)
    func clamp(_ low: Float, _ high: Float) -> Vec {
        let lower = replacing(with: Vec(repeating: low), where: self .< low)
        return lower.replacing(with: Vec(repeating: high), where: lower .> high)
    }
}

public enum SIMDMath {
    /// e^x to about 2 ulp: Cephes expf (range reduction by ln 2, degree-5 polynomial), evaluated
    /// with fused multiply-adds.
    @inline(__always)
    public static func exp(_ x: Vec) -> Vec {
        let clamped = x.clamp(-87.33654, 88.72283)
        // Round to nearest by adding 1.5·2²³: the integer lands in the low mantissa bits.
        let shifted = Vec(repeating: 12_582_912).addingProduct(clamped, Vec(repeating: 1.442695041))
        let n = shifted - 12_582_912
        let r = clamped.addingProduct(n, Vec(repeating: -0.693359375)).addingProduct(n, Vec(repeating: 2.12194440e-4))
        var p = Vec(repeating: 1.3981999507e-3).addingProduct(Vec(repeating: 1.9875691500e-4), r)
        p = Vec(repeating: 8.3334519073e-3).addingProduct(p, r)
        p = Vec(repeating: 4.1665795894e-2).addingProduct(p, r)
        p = Vec(repeating: 1.6666665459e-1).addingProduct(p, r)
        p = Vec(repeating: 5.0000001201e-1).addingProduct(p, r)
        let poly = (r + 1).addingProduct(p, r * r)
        let bits = (unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        return poly * unsafeBitCast(bits, to: Vec.self)
    }

    /// 1 / (1 + e^-x).
    @inline(__always)
    public static func sigmoid(_ x: Vec) -> Vec { 1 / (1 + exp(-x)) }

    /// Scalar e^x with the same algorithm, for tails shorter than a vector.
    @inline(__always)
    public static func exp(_ x: Float) -> Float { exp(Vec(repeating: x))[0] }
}

/// Runs `body` over `0..<count` split across the pool, or inline when the work is small.
@inline(__always)
func parallelElements(_ count: Int, grain: Int = 1 << 14, _ body: (Range<Int>) -> Void) {
    if count <= grain { body(0..<count) } else { ThreadPool.shared.parallelFor(count, body) }
}

/// A vector function of one operand. Kernels take these as generic types rather than closures:
/// a closure called from inside a parallel region is not inlined, which halves the throughput.
protocol VectorMap { func callAsFunction(_ x: Vec) -> Vec }

/// A vector function of two operands (see `VectorMap`).
protocol VectorZip { func callAsFunction(_ a: Vec, _ b: Vec) -> Vec }

struct Affine: VectorMap {
    var scale: Float, shift: Float
    @inline(__always) func callAsFunction(_ x: Vec) -> Vec { x * scale + shift }
}

struct Plus: VectorZip { @inline(__always) func callAsFunction(_ a: Vec, _ b: Vec) -> Vec { a + b } }
struct Minus: VectorZip { @inline(__always) func callAsFunction(_ a: Vec, _ b: Vec) -> Vec { a - b } }
struct Times: VectorZip { @inline(__always) func callAsFunction(_ a: Vec, _ b: Vec) -> Vec { a * b } }
struct Over: VectorZip { @inline(__always) func callAsFunction(_ a: Vec, _ b: Vec) -> Vec { a / b } }
/// b, ignoring a: a broadcast copy of the second operand through `broadcastApply`.
struct Second: VectorZip { @inline(__always) func callAsFunction(_ a: Vec, _ b: Vec) -> Vec { b } }

/// s·a, ignoring b: copies (s = 1) or scales one operand through `zipElements`.
struct ScaledFirst: VectorZip {
    var scale: Float = 1
    @inline(__always) func callAsFunction(_ a: Vec, _ b: Vec) -> Vec { a * scale }
}

/// p·a + q·b + k.
struct LinearCombination: VectorZip {
    var p: Float, q: Float, k: Float
    @inline(__always) func callAsFunction(_ a: Vec, _ b: Vec) -> Vec { a * p + b * q + k }
}

/// Applies `f` to every element of `x`, writing `y` (which may equal `x`).
@inline(__always)
func mapElements<F: VectorMap>(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int, _ f: F) {
    parallelElements(count) { range in
        var i = range.lowerBound
        while i + 16 <= range.upperBound {
            y.store(f(x.vec(i)), i)
            i += 16
        }
        if i < range.upperBound { y.store(f(x.vec(i, count: range.upperBound - i)), i, count: range.upperBound - i) }
    }
}

/// Writes or adds `f(a, b)` elementwise into `y`: the shape of every activation backward.
@inline(__always)
func zipElements<F: VectorZip>(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>,
                               accumulate: Bool, _ count: Int, _ f: F) {
    parallelElements(count) { range in
        var i = range.lowerBound
        while i + 16 <= range.upperBound {
            let v = f(a.vec(i), b.vec(i))
            y.store(accumulate ? y.vec(i) + v : v, i)
            i += 16
        }
        if i < range.upperBound {
            let count = range.upperBound - i
            let v = f(a.vec(i, count: count), b.vec(i, count: count))
            y.store(accumulate ? y.vec(i, count: count) + v : v, i, count: count)
        }
    }
}
