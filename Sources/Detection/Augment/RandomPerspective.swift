import Foundation

/// The draws of one `random_perspective` call, in YOLOv5's units.
public struct PerspectiveDraws: Sendable, Equatable {
    public var perspective: (x: Double, y: Double)
    /// Rotation in degrees and scale factor.
    public var angle: Double, scale: Double
    /// Shear angles in degrees.
    public var shear: (x: Double, y: Double)
    /// Translation as fractions of the output size, drawn in [0.5 − t, 0.5 + t].
    public var translate: (x: Double, y: Double)

    public init(perspective: (x: Double, y: Double), angle: Double, scale: Double, shear: (x: Double, y: Double),
                translate: (x: Double, y: Double)) {
        (self.perspective, self.angle, self.scale, self.shear, self.translate) = (perspective, angle, scale, shear, translate)
    }

    /// Draws in random_perspective's order: perspective x, y; angle; scale; shear x, y; translate x, y.
    public init(_ settings: AugmentSettings, _ rng: inout SampleRandom) {
        let p = settings.perspective, d = settings.degrees, sh = settings.shear, t = settings.translate
        perspective = (rng.uniform(-p, p), rng.uniform(-p, p))
        angle = rng.uniform(-d, d)
        scale = rng.uniform(1 - settings.scale, 1 + settings.scale)
        shear = (rng.uniform(-sh, sh), rng.uniform(-sh, sh))
        translate = (rng.uniform(0.5 - t, 0.5 + t), rng.uniform(0.5 - t, 0.5 + t))
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.perspective == b.perspective && a.angle == b.angle && a.scale == b.scale && a.shear == b.shear
            && a.translate == b.translate
    }
}

/// YOLOv5's random affine (or perspective) warp of an image and its boxes: centre, perspective,
/// rotation and scale, shear, translation (M = T·S·R·P·C), warped with border 114 to the image size
/// less `border` on each side, then boxes transformed by their corners, clipped and filtered by
/// `boxCandidates`.
// yolov5 v7.0 utils/augmentations.py random_perspective (box path; segments become boxes at load)
public func randomPerspective(
    _ image: RGBImage, _ labels: [BoxLabel], draws: PerspectiveDraws, border: Int = 0
) -> (RGBImage, [BoxLabel]) {
    let height = image.height + border * 2, width = image.width + border * 2
    let m = perspectiveMatrix(draws, imageWidth: image.width, imageHeight: image.height, outWidth: width, outHeight: height)
    let usesPerspective = draws.perspective.x != 0 || draws.perspective.y != 0
    let identity: [Double] = [1, 0, 0, 0, 1, 0, 0, 0, 1]
    var out = image
    if border != 0 || m != identity {
        out = warp(image, m, width: width, height: height, perspective: usesPerspective)
    }
    var kept: [BoxLabel] = []
    for label in labels {
        let corners = [(label.x1, label.y1), (label.x2, label.y2), (label.x1, label.y2), (label.x2, label.y1)]
        var xs: [Double] = [], ys: [Double] = []
        for (x, y) in corners {
            var u = m[0] * x + m[1] * y + m[2], v = m[3] * x + m[4] * y + m[5]
            if usesPerspective {
                let w = m[6] * x + m[7] * y + m[8]
                (u, v) = (u / w, v / w)
            }
            xs.append(u)
            ys.append(v)
        }
        let new = BoxLabel(
            classID: label.classID, x1: clip(xs.min()!, 0, Double(width)), y1: clip(ys.min()!, 0, Double(height)),
            x2: clip(xs.max()!, 0, Double(width)), y2: clip(ys.max()!, 0, Double(height)))
        let before = BoxLabel(classID: label.classID, x1: label.x1 * draws.scale, y1: label.y1 * draws.scale,
                              x2: label.x2 * draws.scale, y2: label.y2 * draws.scale)
        if boxCandidate(before: before, after: new, areaThreshold: 0.10) { kept.append(new) }
    }
    return (out, kept)
}

/// M = T · S · R · P · C, row-major 3 × 3.
func perspectiveMatrix(_ d: PerspectiveDraws, imageWidth: Int, imageHeight: Int, outWidth: Int, outHeight: Int) -> [Double] {
    var c = identity3(), p = identity3(), r = identity3(), s = identity3(), t = identity3()
    c[2] = -Double(imageWidth) / 2
    c[5] = -Double(imageHeight) / 2
    p[6] = d.perspective.x
    p[7] = d.perspective.y
    // cv2.getRotationMatrix2D(center=(0, 0), angle, scale): [α β 0; −β α 0], α = s·cos a, β = s·sin a
    let a = d.angle * Double.pi / 180
    let alpha = d.scale * Foundation.cos(a), beta = d.scale * Foundation.sin(a)
    r[0] = alpha; r[1] = beta; r[3] = -beta; r[4] = alpha
    s[1] = Foundation.tan(d.shear.x * Double.pi / 180)
    s[3] = Foundation.tan(d.shear.y * Double.pi / 180)
    t[2] = d.translate.x * Double(outWidth)
    t[5] = d.translate.y * Double(outHeight)
    return matmul3(t, matmul3(s, matmul3(r, matmul3(p, c))))
}

/// `box_candidates`: kept if wider and taller than 2 px, at least `areaThreshold` of its
/// (scaled) area before, and with aspect ratio below 100.
// yolov5 v7.0 utils/augmentations.py box_candidates
public func boxCandidate(before: BoxLabel, after: BoxLabel, areaThreshold: Double) -> Bool {
    let eps = 1e-16
    let w1 = before.x2 - before.x1, h1 = before.y2 - before.y1
    let w2 = after.x2 - after.x1, h2 = after.y2 - after.y1
    let ar = Swift.max(w2 / (h2 + eps), h2 / (w2 + eps))
    return w2 > 2 && h2 > 2 && w2 * h2 / (w1 * h1 + eps) > areaThreshold && ar < 100
}

/// Inverse-mapped bilinear warp with a constant border of 114 (cv2.warpAffine / warpPerspective,
/// INTER_LINEAR, BORDER_CONSTANT): each output pixel samples the source at M⁻¹ · (x, y).
func warp(_ image: RGBImage, _ m: [Double], width: Int, height: Int, perspective: Bool) -> RGBImage {
    let inv = invert3(m)
    var out = [UInt8](repeating: 114, count: width * height * 3)
    let sw = image.width, sh = image.height
    image.pixels.withUnsafeBufferPointer { src in
        out.withUnsafeMutableBufferPointer { dst in
            for y in 0..<height {
                for x in 0..<width {
                    let fx = Double(x), fy = Double(y)
                    var u = inv[0] * fx + inv[1] * fy + inv[2], v = inv[3] * fx + inv[4] * fy + inv[5]
                    if perspective {
                        let w = inv[6] * fx + inv[7] * fy + inv[8]
                        let scale = w != 0 ? 1 / w : 0
                        (u, v) = (u * scale, v * scale)
                    }
                    // cv2 quantises the sample position to 1/32 pixel (INTER_BITS = 5)
                    let qu = (u * 32).rounded(), qv = (v * 32).rounded()
                    guard qu > -64, qv > -64, qu < Double(sw + 1) * 32, qv < Double(sh + 1) * 32 else { continue }
                    let iu = Int(qu), iv = Int(qv)
                    let x0 = iu >> 5, y0 = iv >> 5
                    let ax = Float(iu & 31) / 32, ay = Float(iv & 31) / 32
                    if x0 >= 0 && y0 >= 0 && x0 + 1 < sw && y0 + 1 < sh {
                        let p00 = (y0 * sw + x0) * 3, p01 = p00 + 3, p10 = p00 + sw * 3, p11 = p10 + 3
                        for c in 0..<3 {
                            let top = Float(src[p00 + c]) * (1 - ax) + Float(src[p01 + c]) * ax
                            let bottom = Float(src[p10 + c]) * (1 - ax) + Float(src[p11 + c]) * ax
                            dst[(y * width + x) * 3 + c] = UInt8((top * (1 - ay) + bottom * ay).rounded())
                        }
                    } else {
                        for c in 0..<3 {
                            func at(_ xx: Int, _ yy: Int) -> Float {
                                xx >= 0 && yy >= 0 && xx < sw && yy < sh ? Float(src[(yy * sw + xx) * 3 + c]) : 114
                            }
                            let top = at(x0, y0) * (1 - ax) + at(x0 + 1, y0) * ax
                            let bottom = at(x0, y0 + 1) * (1 - ax) + at(x0 + 1, y0 + 1) * ax
                            dst[(y * width + x) * 3 + c] = UInt8((top * (1 - ay) + bottom * ay).rounded())
                        }
                    }
                }
            }
        }
    }
    return RGBImage(width: width, height: height, pixels: out)
}

private func clip(_ x: Double, _ low: Double, _ high: Double) -> Double { Swift.min(Swift.max(x, low), high) }

private func identity3() -> [Double] { [1, 0, 0, 0, 1, 0, 0, 0, 1] }

private func matmul3(_ a: [Double], _ b: [Double]) -> [Double] {
    var c = [Double](repeating: 0, count: 9)
    for i in 0..<3 {
        for j in 0..<3 { c[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j] }
    }
    return c
}

private func invert3(_ m: [Double]) -> [Double] {
    let det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6])
    let d = det != 0 ? 1 / det : 0
    return [
        (m[4] * m[8] - m[5] * m[7]) * d, (m[2] * m[7] - m[1] * m[8]) * d, (m[1] * m[5] - m[2] * m[4]) * d,
        (m[5] * m[6] - m[3] * m[8]) * d, (m[0] * m[8] - m[2] * m[6]) * d, (m[2] * m[3] - m[0] * m[5]) * d,
        (m[3] * m[7] - m[4] * m[6]) * d, (m[1] * m[6] - m[0] * m[7]) * d, (m[0] * m[4] - m[1] * m[3]) * d,
    ]
}
