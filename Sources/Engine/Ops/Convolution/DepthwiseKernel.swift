/// Scalar direct depthwise convolution on one plane, forward and backward: the twin of
/// `DepthwiseSIMD` and `DepthwiseBlocked`, for the geometries they do not take (dilation > 1, stride > 2).
enum DepthwiseKernel {
    /// y[H', W'] = Σ_ki,kj w[ki, kj] · x[y·s − p + ki·d, x·s − p + kj·d] (+ bias).
    static func forward(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, bias: Float,
                        _ g: ConvGeometry, _ y: UnsafeMutablePointer<Float>) {
        let (oh, ow) = (g.outHeight, g.outWidth)
        y.update(repeating: bias, count: oh * ow)
        for ki in 0..<g.kernelH {
            for oy in 0..<oh {
                let iy = oy * g.stride - g.padding + ki * g.dilation
                guard iy >= 0 && iy < g.height else { continue }
                let out = y + oy * ow
                let row = x + iy * g.width
                for kj in 0..<g.kernelW {
                    let weight = w[ki * g.kernelW + kj]
                    let valid = g.validColumns(kj)
                    let src = row + kj * g.dilation - g.padding
                    if g.stride == 1 {
                        for ox in valid { out[ox] += weight * src[ox] }
                    } else {
                        for ox in valid { out[ox] += weight * src[ox * g.stride] }
                    }
                }
            }
        }
    }

    /// dx[H, W] += Σ w[ki, kj] · dy at every output the input pixel fed.
    static func backwardInput(_ dy: UnsafePointer<Float>, _ w: UnsafePointer<Float>,
                              _ g: ConvGeometry, _ dx: UnsafeMutablePointer<Float>) {
        let (oh, ow) = (g.outHeight, g.outWidth)
        for ki in 0..<g.kernelH {
            for oy in 0..<oh {
                let iy = oy * g.stride - g.padding + ki * g.dilation
                guard iy >= 0 && iy < g.height else { continue }
                let grad = dy + oy * ow
                let row = dx + iy * g.width
                for kj in 0..<g.kernelW {
                    let weight = w[ki * g.kernelW + kj]
                    let valid = g.validColumns(kj)
                    let dst = row + kj * g.dilation - g.padding
                    if g.stride == 1 {
                        for ox in valid { dst[ox] += weight * grad[ox] }
                    } else {
                        for ox in valid { dst[ox * g.stride] += weight * grad[ox] }
                    }
                }
            }
        }
    }

    /// dw[kH, kW] += Σ_y,x dy[y, x] · x[y·s − p + ki·d, x·s − p + kj·d] for one plane.
    static func backwardWeight(_ dy: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
                               _ g: ConvGeometry, _ dw: UnsafeMutablePointer<Float>) {
        let (oh, ow) = (g.outHeight, g.outWidth)
        for ki in 0..<g.kernelH {
            for kj in 0..<g.kernelW {
                let valid = g.validColumns(kj)
                var sum: Float = 0
                for oy in 0..<oh {
                    let iy = oy * g.stride - g.padding + ki * g.dilation
                    guard iy >= 0 && iy < g.height else { continue }
                    let grad = dy + oy * ow
                    let src = x + iy * g.width + kj * g.dilation - g.padding
                    var row: Float = 0
                    if g.stride == 1 {
                        for ox in valid { row += grad[ox] * src[ox] }
                    } else {
                        for ox in valid { row += grad[ox] * src[ox * g.stride] }
                    }
                    sum += row
                }
                dw[ki * g.kernelW + kj] += sum
            }
        }
    }
}
