/// MixUp: the pixel average of two mosaics with weight r ~ Beta(32, 32), labels of both.
// yolov5 v7.0 utils/augmentations.py mixup
public func mixup(_ a: RGBImage, _ la: [BoxLabel], _ b: RGBImage, _ lb: [BoxLabel], ratio r: Double) -> (RGBImage, [BoxLabel]) {
    var out = a
    for i in out.pixels.indices {
        out.pixels[i] = UInt8(Double(a.pixels[i]) * r + Double(b.pixels[i]) * (1 - r))
    }
    return (out, la + lb)
}
