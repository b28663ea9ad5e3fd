/// Flips an image left-right (`np.fliplr`) or up-down (`np.flipud`) in place.
public func flip(_ image: inout RGBImage, horizontal: Bool) {
    let w = image.width, h = image.height
    image.pixels.withUnsafeMutableBufferPointer { p in
        if horizontal {
            for y in 0..<h {
                for x in 0..<(w / 2) {
                    let a = (y * w + x) * 3, b = (y * w + w - 1 - x) * 3
                    for c in 0..<3 { p.swapAt(a + c, b + c) }
                }
            }
        } else {
            for y in 0..<(h / 2) {
                for x in 0..<(w * 3) { p.swapAt(y * w * 3 + x, (h - 1 - y) * w * 3 + x) }
            }
        }
    }
}
