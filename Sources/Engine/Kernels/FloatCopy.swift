/// dst[0..<n] = src[0..<n] with vector moves (faster than memcpy for the short rows here).
@inline(__always)
func copyFloats(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, _ n: Int) {
    var i = 0
    while i + 16 <= n { dst.store(src.vec(i), i); i += 16 }
    while i < n { dst[i] = src[i]; i += 1 }
}

/// dst[0..<n] = 0.
@inline(__always)
func zeroFloats(_ dst: UnsafeMutablePointer<Float>, _ n: Int) {
    var i = 0
    while i + 16 <= n { dst.store(Vec(), i); i += 16 }
    while i < n { dst[i] = 0; i += 1 }
}

/// dst[0..<n] += src[0..<n].
@inline(__always)
func addFloats(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, _ n: Int) {
    var i = 0
    while i + 16 <= n { dst.store(dst.vec(i) + src.vec(i), i); i += 16 }
    while i < n { dst[i] += src[i]; i += 1 }
}
