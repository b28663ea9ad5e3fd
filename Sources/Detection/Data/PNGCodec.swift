import CPNG

/// PNG decoding through libpng's simplified API: any bit depth, palette, grey or alpha → 8-bit RGB.
///
/// Alpha is dropped as OpenCV's `imread(IMREAD_COLOR)` drops it (no compositing); 16-bit samples
/// are scaled to 8 bits by libpng.
public enum PNGCodec {
    /// Decodes PNG bytes; the message of a failure is libpng's.
    public static func decode(_ data: [UInt8]) throws(ImageDecodeError) -> RGBImage {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        let begun = data.withUnsafeBufferPointer { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard begun != 0 else { throw ImageDecodeError(reason: message(&image)) }
        defer { png_image_free(&image) }
        image.format = UInt32(PNG_FORMAT_RGB)
        let width = Int(image.width), height = Int(image.height)
        guard width > 0, height > 0, width <= 1 << 15, height <= 1 << 15 else {
            throw ImageDecodeError(reason: "unsupported size \(width)×\(height)")
        }
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        let finished = data.withUnsafeBufferPointer { _ in
            pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, Int32(width * 3), nil) }
        }
        guard finished != 0 else { throw ImageDecodeError(reason: message(&image)) }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    static func message(_ image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}

extension PNGCodec {
    /// Encodes 8-bit RGB as PNG (libpng's default compression: the same pixels give the same bytes).
    public static func encode(_ image: RGBImage) throws(ImageDecodeError) -> [UInt8] {
        var png = png_image()
        png.version = UInt32(PNG_IMAGE_VERSION)
        png.width = UInt32(image.width)
        png.height = UInt32(image.height)
        png.format = UInt32(PNG_FORMAT_RGB)
        var size = 0
        let sized = image.pixels.withUnsafeBytes {
            png_image_write_to_memory(&png, nil, &size, 0, $0.baseAddress, Int32(image.width * 3), nil)
        }
        guard sized != 0, size > 0 else { throw ImageDecodeError(reason: "png encode: \(message(&png))") }
        var out = [UInt8](repeating: 0, count: size)
        let written = image.pixels.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                png_image_write_to_memory(&png, dst.baseAddress, &size, 0, src.baseAddress, Int32(image.width * 3), nil)
            }
        }
        guard written != 0 else { throw ImageDecodeError(reason: "png encode: \(message(&png))") }
        png_image_free(&png)
        return Array(out.prefix(size))
    }
}
