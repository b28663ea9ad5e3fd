/// The result of `letterbox`: the padded image, the scale applied and the padding on each side.
public struct Letterboxed: Sendable {
    public var image: RGBImage
    public var ratio: Double
    /// Half the total padding in x and y (left and top get `round(d − 0.1)`).
    public var pad: (x: Double, y: Double)
    /// The size of the image before letterboxing.
    public var sourceWidth: Int, sourceHeight: Int
}

/// Resizes to fit `height` × `width` keeping the aspect ratio (never enlarging unless `scaleUp`)
/// and pads the rest with grey 114, centred: YOLOv5's `letterbox(auto=False)`.
// yolov5 v7.0 utils/augmentations.py letterbox
public func letterbox(_ image: RGBImage, height: Int, width: Int, scaleUp: Bool) -> Letterboxed {
    var r = Swift.min(Double(height) / Double(image.height), Double(width) / Double(image.width))
    if !scaleUp { r = Swift.min(r, 1) }
    let newW = Int((Double(image.width) * r).rounded(.toNearestOrEven)), newH = Int((Double(image.height) * r).rounded(.toNearestOrEven))
    let dw = Double(width - newW) / 2, dh = Double(height - newH) / 2
    let resized = newW == image.width && newH == image.height ? image : ImageResize.linear(image, width: newW, height: newH)
    let top = Int((dh - 0.1).rounded(.toNearestOrEven)), left = Int((dw - 0.1).rounded(.toNearestOrEven))
    var out = [UInt8](repeating: 114, count: width * height * 3)
    resized.pixels.withUnsafeBufferPointer { src in
        out.withUnsafeMutableBufferPointer { dst in
            for y in 0..<newH where y + top < height && y + top >= 0 {
                let rowCount = Swift.min(newW, width - left) * 3
                guard rowCount > 0 else { continue }
                (dst.baseAddress! + ((y + top) * width + left) * 3).update(from: src.baseAddress! + y * newW * 3, count: rowCount)
            }
        }
    }
    return Letterboxed(image: RGBImage(width: width, height: height, pixels: out), ratio: r, pad: (dw, dh),
                      sourceWidth: image.width, sourceHeight: image.height)
}
