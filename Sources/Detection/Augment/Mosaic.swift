import Engine

/// The draws of one 4-image mosaic: its centre and which images fill the four quadrants.
public struct MosaicDraws: Sendable, Equatable {
    public var xc: Int, yc: Int
    /// Dataset indices of the top-left, top-right, bottom-left and bottom-right images.
    public var order: [Int]

    public init(xc: Int, yc: Int, order: [Int]) { (self.xc, self.yc, self.order) = (xc, yc, order) }

    /// Draws as `load_mosaic`: centre uniform in [s/2, 3s/2), three more images, shuffled.
    public init(index: Int, count: Int, size s: Int, _ rng: inout SampleRandom) {
        yc = Int(rng.uniform(Double(s / 2), Double(2 * s - s / 2)))
        xc = Int(rng.uniform(Double(s / 2), Double(2 * s - s / 2)))
        var picks = [index] + (0..<3).map { _ in rng.int(below: count) }
        for i in stride(from: picks.count - 1, to: 0, by: -1) { picks.swapAt(i, rng.int(below: i + 1)) }
        order = picks
    }
}

/// Places four loaded images (longest side `s`) around the centre of a 2s × 2s grey canvas,
/// their labels moved with them and clipped to the canvas: the first half of `load_mosaic`.
// yolov5 v7.0 utils/dataloaders.py LoadImagesAndLabels.load_mosaic
public func placeMosaic(_ tiles: [(image: RGBImage, labels: [YOLOLabel])], xc: Int, yc: Int, size s: Int) -> (RGBImage, [BoxLabel]) {
    require(tiles.count == 4, "placeMosaic: needs 4 images")
    let side = 2 * s
    var canvas = [UInt8](repeating: 114, count: side * side * 3)
    var labels: [BoxLabel] = []
    for (i, tile) in tiles.enumerated() {
        let w = tile.image.width, h = tile.image.height
        let (x1a, y1a, x2a, y2a): (Int, Int, Int, Int)
        let (x1b, y1b, x2b, y2b): (Int, Int, Int, Int)
        switch i {
        case 0:
            (x1a, y1a, x2a, y2a) = (max(xc - w, 0), max(yc - h, 0), xc, yc)
            (x1b, y1b, x2b, y2b) = (w - (x2a - x1a), h - (y2a - y1a), w, h)
        case 1:
            (x1a, y1a, x2a, y2a) = (xc, max(yc - h, 0), min(xc + w, side), yc)
            (x1b, y1b, x2b, y2b) = (0, h - (y2a - y1a), min(w, x2a - x1a), h)
        case 2:
            (x1a, y1a, x2a, y2a) = (max(xc - w, 0), yc, xc, min(side, yc + h))
            (x1b, y1b, x2b, y2b) = (w - (x2a - x1a), 0, w, min(y2a - y1a, h))
        default:
            (x1a, y1a, x2a, y2a) = (xc, yc, min(xc + w, side), min(side, yc + h))
            (x1b, y1b, x2b, y2b) = (0, 0, min(w, x2a - x1a), min(y2a - y1a, h))
        }
        let rows = min(y2a - y1a, y2b - y1b), cols = min(x2a - x1a, x2b - x1b)
        if rows > 0 && cols > 0 {
            tile.image.pixels.withUnsafeBufferPointer { src in
                canvas.withUnsafeMutableBufferPointer { dst in
                    for r in 0..<rows {
                        (dst.baseAddress! + ((y1a + r) * side + x1a) * 3)
                            .update(from: src.baseAddress! + ((y1b + r) * w + x1b) * 3, count: cols * 3)
                    }
                }
            }
        }
        let padw = Double(x1a - x1b), padh = Double(y1a - y1b)
        for label in tile.labels {
            var b = BoxLabel(label, width: Double(w), height: Double(h), padw: padw, padh: padh)
            let limit = Double(side)
            b.x1 = min(max(b.x1, 0), limit); b.x2 = min(max(b.x2, 0), limit)
            b.y1 = min(max(b.y1, 0), limit); b.y2 = min(max(b.y2, 0), limit)
            labels.append(b)
        }
    }
    return (RGBImage(width: side, height: side, pixels: canvas), labels)
}
