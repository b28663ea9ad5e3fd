/// Unfolds one image x [C, H, W] into columns [C·kH·kW, H'·W'] so a convolution becomes one GEMM.
/// Rows of `col` are `rowStride` apart (H'·W', or more when several images sit side by side).
func im2col(_ x: UnsafePointer<Float>, _ g: ConvGeometry, _ col: UnsafeMutablePointer<Float>, rowStride: Int) {
    let (oh, ow) = (g.outHeight, g.outWidth)
    for c in 0..<g.channels {
        let plane = x + c * g.height * g.width
        for ki in 0..<g.kernelH {
            for kj in 0..<g.kernelW {
                let row = col + ((c * g.kernelH + ki) * g.kernelW + kj) * rowStride
                let valid = g.validColumns(kj)
                let offsetW = kj * g.dilation - g.padding
                for y in 0..<oh {
                    let out = row + y * ow
                    let iy = y * g.stride - g.padding + ki * g.dilation
                    guard iy >= 0 && iy < g.height, !valid.isEmpty else {
                        out.update(repeating: 0, count: ow)
                        continue
                    }
                    let src = plane + iy * g.width + offsetW
                    if valid.lowerBound > 0 { out.update(repeating: 0, count: valid.lowerBound) }
                    if g.stride == 1 {
                        (out + valid.lowerBound).update(from: src + valid.lowerBound, count: valid.count)
                    } else {
                        for x in valid { out[x] = src[x * g.stride] }
                    }
                    if valid.upperBound < ow { (out + valid.upperBound).update(repeating: 0, count: ow - valid.upperBound) }
                }
            }
        }
    }
}

/// Folds columns [C·kH·kW, H'·W'] (rows `rowStride` apart) back onto one image dx [C, H, W],
/// adding overlaps (im2col's adjoint).
func col2im(_ col: UnsafePointer<Float>, _ g: ConvGeometry, _ dx: UnsafeMutablePointer<Float>, rowStride: Int) {
    let (oh, ow) = (g.outHeight, g.outWidth)
    for c in 0..<g.channels {
        let plane = dx + c * g.height * g.width
        for ki in 0..<g.kernelH {
            for kj in 0..<g.kernelW {
                let row = col + ((c * g.kernelH + ki) * g.kernelW + kj) * rowStride
                let valid = g.validColumns(kj)
                let offsetW = kj * g.dilation - g.padding
                for y in 0..<oh {
                    let iy = y * g.stride - g.padding + ki * g.dilation
                    guard iy >= 0 && iy < g.height else { continue }
                    let dst = plane + iy * g.width + offsetW
                    let src = row + y * ow
                    if g.stride == 1 {
                        for x in valid { dst[x] += src[x] }
                    } else {
                        for x in valid { dst[x * g.stride] += src[x] }
                    }
                }
            }
        }
    }
}

/// im2col through a padded, phase-split plane (`PaddedPlane`): for dilation 1 and stride 1 or 2
/// every column row segment is one contiguous vector copy, with no bounds checks.
func im2col(_ x: UnsafePointer<Float>, _ g: ConvGeometry, _ col: UnsafeMutablePointer<Float>, rowStride: Int,
            plane: PaddedPlane) {
    let (oh, ow) = (g.outHeight, g.outWidth)
    for c in 0..<g.channels {
        plane.fill(from: x + c * g.height * g.width, height: g.height, width: g.width, padding: g.padding)
        for ki in 0..<g.kernelH {
            for kj in 0..<g.kernelW {
                let row = col + ((c * g.kernelH + ki) * g.kernelW + kj) * rowStride
                for y in 0..<oh { copyFloats(row + y * ow, plane.tap(y * g.stride + ki, kj), ow) }
            }
        }
    }
}

/// col2im through a padded, phase-split plane: the adjoint of `im2col(_:_:_:plane:)`, writing dx
/// (or adding to it when `accumulate`).
func col2im(_ col: UnsafePointer<Float>, _ g: ConvGeometry, _ dx: UnsafeMutablePointer<Float>, rowStride: Int,
            accumulate: Bool, plane: PaddedPlane) {
    let (oh, ow) = (g.outHeight, g.outWidth)
    for c in 0..<g.channels {
        plane.base.update(repeating: 0, count: plane.phases * plane.rows * plane.rowStride)
        for ki in 0..<g.kernelH {
            for kj in 0..<g.kernelW {
                let row = col + ((c * g.kernelH + ki) * g.kernelW + kj) * rowStride
                for y in 0..<oh { addFloats(plane.tap(y * g.stride + ki, kj), row + y * ow, ow) }
            }
        }
        plane.drain(into: dx + c * g.height * g.width, height: g.height, width: g.width, padding: g.padding,
                    accumulate: accumulate)
    }
}
