import Engine
import Foundation

/// Why an image could not be decoded.
public struct ImageDecodeError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}

/// Decodes a training or validation image as OpenCV's `imread` does for YOLOv5: JPEG (libturbojpeg)
/// with its EXIF orientation applied, or PNG (libpng), to 8-bit RGB.
///
/// One decoder per thread (it owns a TurboJPEG handle).
public final class ImageDecoder {
    private let jpeg: JPEGCodec

    public init() throws { jpeg = try JPEGCodec() }

    /// The image at `path`, upright; a problem naming the file when it cannot be read or decoded.
    public func load(_ path: String) throws(InputProblem) -> RGBImage {
        let bytes: [UInt8]
        do {
            bytes = try readWholeFile(path)
        } catch {
            throw InputProblem(file: path, "cannot read: \(error.reason)")
        }
        do {
            return try decode(bytes)
        } catch {
            throw InputProblem(file: path, "cannot decode the image: \(error)")
        }
    }

    /// Decodes JPEG or PNG bytes, recognised by content.
    public func decode(_ bytes: [UInt8]) throws -> RGBImage {
        if bytes.starts(with: [0xFF, 0xD8]) {
            let image = try jpeg.decode(bytes)
            return Self.oriented(image, exif: ImageHeader.orientation(ofJPEG: bytes))
        }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return try PNGCodec.decode(bytes) }
        throw ImageDecodeError(reason: "not a JPEG or PNG file (studyctl trains on JPEG and PNG images)")
    }

    /// `image` turned upright for EXIF orientation 1...8, as OpenCV's `imread` turns it.
    public static func oriented(_ image: RGBImage, exif orientation: Int) -> RGBImage {
        guard (2...8).contains(orientation) else { return image }
        let w = image.width, h = image.height
        let swaps = orientation >= 5
        let ow = swaps ? h : w, oh = swaps ? w : h
        var out = [UInt8](repeating: 0, count: image.pixels.count)
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<oh {
                    for x in 0..<ow {
                        // The source pixel shown at (x, y) for each EXIF orientation (TIFF 6.0, tag 274).
                        let (sx, sy): (Int, Int)
                        switch orientation {
                        case 2: (sx, sy) = (w - 1 - x, y)
                        case 3: (sx, sy) = (w - 1 - x, h - 1 - y)
                        case 4: (sx, sy) = (x, h - 1 - y)
                        case 5: (sx, sy) = (y, x)
                        case 6: (sx, sy) = (y, h - 1 - x)
                        case 7: (sx, sy) = (w - 1 - y, h - 1 - x)
                        default: (sx, sy) = (w - 1 - y, x)
                        }
                        let s = (sy * w + sx) * 3, d = (y * ow + x) * 3
                        dst[d] = src[s]
                        dst[d + 1] = src[s + 1]
                        dst[d + 2] = src[s + 2]
                    }
                }
            }
        }
        return RGBImage(width: ow, height: oh, pixels: out)
    }
}
