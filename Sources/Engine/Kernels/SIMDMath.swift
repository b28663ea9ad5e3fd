/// Vector math on `SIMD16<Float>` (one AVX-512 register) for the elementwise kernels.
public typealias Vec = SIMD16<Float>

extension UnsafePointer where Pointee == Float {
    @inline(__always) func vec(_ i: Int) -> Vec { UnsafeRawPointer(self + i).loadUnaligned(as: Vec.self) }
}

extension UnsafeMutablePointer where Pointee == Float {
    @inline(__always) func vec(_ i: Int) -> Vec { UnsafeRawPointer(self + i).loadUnaligned(as: Vec.self) }
    @inline(__always) func store(_ v: Vec, _ i: Int) { UnsafeMutableRawPointer(self + i).storeBytes(of: v, as: Vec.self) }
}

public enum SIMDMath {
    /// e^x to about 2 ulp: Cephes expf (range reduction by ln 2, degree-5 polynomial).
    @inline(__always)
    public static func exp(_ x: Vec) -> Vec {
        let clamped = x.clamped(lowerBound: Vec(repeating: -87.33654), upperBound: Vec(repeating: 88.72283))
        let n = (clamped * 1.442695041).rounded(.toNearestOrEven)
        let r = clamped - n * 0.693359375 + n * 2.12194440e-4
        var p = Vec(repeating: 1.9875691500e-4)
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        let poly = p * r * r + r + 1
        let bits = (SIMD16<Int32>(n) &+ 127) &<< 23
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

/// Applies a vector function to every element of `x`, writing `y` (which may equal `x`).
@inline(__always)
func mapElements(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int, _ f: (Vec) -> Vec) {
    parallelElements(count) { range in
        var i = range.lowerBound
        while i + 16 <= range.upperBound {
            y.store(f(x.vec(i)), i)
            i += 16
        }
        if i < range.upperBound {
            var tail = Vec(repeating: 0)
            for j in i..<range.upperBound { tail[j - i] = x[j] }
            let out = f(tail)
            for j in i..<range.upperBound { y[j] = out[j - i] }
        }
    }
}

/// Writes or adds `f(a, b)` elementwise into `y`: the shape of every activation backward.
@inline(__always)
func zipElements(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>,
                 accumulate: Bool, _ count: Int, _ f: (Vec, Vec) -> Vec) {
    parallelElements(count) { range in
        var i = range.lowerBound
        while i + 16 <= range.upperBound {
            let v = f(a.vec(i), b.vec(i))
            y.store(accumulate ? y.vec(i) + v : v, i)
            i += 16
        }
        if i < range.upperBound {
            var ta = Vec(repeating: 0), tb = Vec(repeating: 0)
            for j in i..<range.upperBound { ta[j - i] = a[j]; tb[j - i] = b[j] }
            let v = f(ta, tb)
            for j in i..<range.upperBound { y[j] = accumulate ? y[j] + v[j - i] : v[j - i] }
        }
    }
}
