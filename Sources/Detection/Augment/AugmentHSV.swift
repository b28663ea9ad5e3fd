/// YOLOv5's HSV augmentation: hue, saturation and value multiplied by random gains through
/// lookup tables, on OpenCV's 8-bit HSV (hue 0..<180).
// yolov5 v7.0 utils/augmentations.py augment_hsv
public func augmentHSV(_ image: inout RGBImage, gains r: (h: Double, s: Double, v: Double)) {
    var lutH = [UInt8](repeating: 0, count: 256), lutS = lutH, lutV = lutH
    for x in 0..<256 {
        let fx = Double(x)
        let hue = (fx * r.h).truncatingRemainder(dividingBy: 180)
        lutH[x] = UInt8(hue < 0 ? hue + 180 : hue)
        lutS[x] = UInt8(Swift.min(Swift.max(fx * r.s, 0), 255))
        lutV[x] = UInt8(Swift.min(Swift.max(fx * r.v, 0), 255))
    }
    image.pixels.withUnsafeMutableBufferPointer { p in
        for i in stride(from: 0, to: p.count, by: 3) {
            let (h, s, v) = HSV8.fromRGB(p[i], p[i + 1], p[i + 2])
            let (red, green, blue) = HSV8.toRGB(lutH[Int(h)], lutS[Int(s)], lutV[Int(v)])
            p[i] = red
            p[i + 1] = green
            p[i + 2] = blue
        }
    }
}

/// The random gains of `augment_hsv`: uniform(−1, 1) × gain + 1 for hue, saturation and value.
public func hsvGains(_ settings: AugmentSettings, _ rng: inout SampleRandom) -> (h: Double, s: Double, v: Double) {
    (rng.uniform(-1, 1) * settings.hsvH + 1, rng.uniform(-1, 1) * settings.hsvS + 1, rng.uniform(-1, 1) * settings.hsvV + 1)
}

/// OpenCV's 8-bit RGB ↔ HSV conversions (COLOR_RGB2HSV / COLOR_HSV2RGB, hue range 180).
enum HSV8 {
    static let shift = 12
    // OpenCV imgproc/src/color_hsv.simd.hpp RGB2HSV_b: fixed-point division tables
    static let sdiv: [Int] = (0..<256).map { $0 == 0 ? 0 : Int((Double(255 << shift) / Double($0)).rounded()) }
    static let hdiv: [Int] = (0..<256).map { $0 == 0 ? 0 : Int((Double(180 << shift) / (6 * Double($0))).rounded()) }

    static func fromRGB(_ red: UInt8, _ green: UInt8, _ blue: UInt8) -> (UInt8, UInt8, UInt8) {
        let r = Int(red), g = Int(green), b = Int(blue)
        let v = Swift.max(r, g, b), vmin = Swift.min(r, g, b)
        let diff = v - vmin
        let vr = v == r ? -1 : 0, vg = v == g ? -1 : 0
        let s = (diff * sdiv[v] + (1 << (shift - 1))) >> shift
        var h = (vr & (g - b)) + (~vr & ((vg & (b - r + 2 * diff)) + (~vg & (r - g + 4 * diff))))
        h = (h * hdiv[diff] + (1 << (shift - 1))) >> shift
        if h < 0 { h += 180 }
        return (UInt8(h), UInt8(s), UInt8(v))
    }

    // OpenCV color_hsv.simd.hpp HSV2RGB_b on floats; ×255 truncated, as OpenCV 5.0 (the fixture's) gives
    // it: 6 pixels in 20,000 then differ by one grey level (its kernel is fixed-point)
    static func toRGB(_ hue: UInt8, _ sat: UInt8, _ val: UInt8) -> (UInt8, UInt8, UInt8) {
        let s = Float(sat) * (1 / 255), v = Float(val) * (1 / 255)
        var r = v, g = v, b = v
        if s != 0 {
            var h = Float(hue) * (6 / 180)
            while h < 0 { h += 6 }
            while h >= 6 { h -= 6 }
            var sector = Int(h.rounded(.down))
            h -= Float(sector)
            if sector < 0 || sector >= 6 { sector = 0; h = 0 }
            let tab: [Float] = [v, v * (1 - s), v * (1 - s * h), v * (1 - s * (1 - h))]
            let order: [(Int, Int, Int)] = [(1, 3, 0), (1, 0, 2), (3, 0, 1), (0, 2, 1), (0, 1, 3), (2, 1, 0)]
            let (ib, ig, ir) = order[sector]
            (b, g, r) = (tab[ib], tab[ig], tab[ir])
        }
        func byte(_ x: Float) -> UInt8 { UInt8(Swift.min(Swift.max((x * 255).rounded(.down), 0), 255)) }
        return (byte(r), byte(g), byte(b))
    }
}
