import Engine
import Foundation

/// Image resizing as OpenCV does it for YOLOv5's `load_image` and `letterbox`.
public enum ImageResize {
    /// Resizes with bilinear interpolation on pixel centres (cv2.INTER_LINEAR): source
    /// x = (x' + 0.5)·w/w' − 0.5, clamped to the edge pixels.
    // OpenCV imgproc/src/resize.cpp resizeGeneric_ / interpolateLinear
    public static func linear(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        let xs = taps(source: image.width, target: width)
        let ys = taps(source: image.height, target: height)
        var out = [UInt8](repeating: 0, count: width * height * 3)
        let sw = image.width
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                var row0 = [Float](repeating: 0, count: width * 3), row1 = row0
                for y in 0..<height {
                    let (y0, y1, fy) = ys[y]
                    for (row, sy) in [(0, y0), (1, y1)] {
                        for x in 0..<width {
                            let (x0, x1, fx) = xs[x]
                            for c in 0..<3 {
                                let a = Float(src[(sy * sw + x0) * 3 + c]), b = Float(src[(sy * sw + x1) * 3 + c])
                                let v = a + (b - a) * fx
                                if row == 0 { row0[x * 3 + c] = v } else { row1[x * 3 + c] = v }
                            }
                        }
                    }
                    for i in 0..<(width * 3) {
                        let v = row0[i] + (row1[i] - row0[i]) * fy
                        dst[y * width * 3 + i] = UInt8(Swift.max(0, Swift.min(255, v.rounded())))
                    }
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: out)
    }

    /// Shrinks by averaging the source area each target pixel covers (cv2.INTER_AREA), pixels
    /// cut by a target pixel's edge counted by the fraction inside.
    // OpenCV imgproc/src/resize.cpp resizeArea_ (computeResizeAreaTab)
    public static func area(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        require(width <= image.width && height <= image.height, "ImageResize.area only shrinks")
        let xw = areaWeights(source: image.width, target: width)
        let yw = areaWeights(source: image.height, target: height)
        var out = [UInt8](repeating: 0, count: width * height * 3)
        let sw = image.width
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                var rows = [Float](repeating: 0, count: width * 3)
                for y in 0..<height {
                    for i in rows.indices { rows[i] = 0 }
                    for (sy, wy) in yw[y] {
                        for x in 0..<width {
                            var acc = SIMD3<Float>(repeating: 0)
                            for (sx, wx) in xw[x] {
                                let s = (sy * sw + sx) * 3
                                acc += SIMD3(Float(src[s]), Float(src[s + 1]), Float(src[s + 2])) * wx
                            }
                            rows[x * 3] += acc.x * wy
                            rows[x * 3 + 1] += acc.y * wy
                            rows[x * 3 + 2] += acc.z * wy
                        }
                    }
                    for i in 0..<(width * 3) { dst[y * width * 3 + i] = UInt8(Swift.max(0, Swift.min(255, rows[i].rounded()))) }
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: out)
    }

    /// Resizes as `load_image` and `letterbox` choose: area when shrinking, linear otherwise.
    public static func resized(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        if width == image.width && height == image.height { return image }
        if width <= image.width && height <= image.height { return area(image, width: width, height: height) }
        return linear(image, width: width, height: height)
    }

    /// For each target coordinate: the two source samples and the weight of the second.
    static func taps(source: Int, target: Int) -> [(Int, Int, Float)] {
        let scale = Double(source) / Double(target)
        return (0..<target).map { d in
            let s = (Double(d) + 0.5) * scale - 0.5
            var s0 = Int(s.rounded(.down))
            var f = Float(s - Double(s0))
            if s0 < 0 { (s0, f) = (0, 0) }
            if s0 >= source - 1 { (s0, f) = (source - 1, 0) }
            return (s0, Swift.min(s0 + 1, source - 1), f)
        }
    }

    /// For each target coordinate: the source pixels it covers and their weights (summing to 1).
    static func areaWeights(source: Int, target: Int) -> [[(Int, Float)]] {
        let scale = Double(source) / Double(target)
        return (0..<target).map { d in
            let start = Double(d) * scale, end = start + scale
            var weights: [(Int, Float)] = []
            var s = Int(start.rounded(.down))
            while Double(s) < end - 1e-9 && s < source {
                let overlap = Swift.min(end, Double(s + 1)) - Swift.max(start, Double(s))
                if overlap > 1e-9 { weights.append((s, Float(overlap / scale))) }
                s += 1
            }
            return weights
        }
    }
}
