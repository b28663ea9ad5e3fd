import CTurboJPEG

/// A libjpeg-turbo failure, with the library's own message.
public struct JPEGError: Error, CustomStringConvertible {
    public var operation: String
    public var reason: String
    public var description: String { "jpeg: \(operation): \(reason)" }
}

/// JPEG encoding and decoding through libturbojpeg (the TurboJPEG API).
///
/// One codec owns one compressor and one decompressor handle; use one per thread.
public final class JPEGCodec {
    private let compressor: tjhandle
    private let decompressor: tjhandle

    public init() throws {
        guard let c = tjInitCompress() else {
            throw JPEGError(operation: "init compressor", reason: String(cString: tjGetErrorStr2(nil)))
        }
        guard let d = tjInitDecompress() else {
            tjDestroy(c)
            throw JPEGError(operation: "init decompressor", reason: String(cString: tjGetErrorStr2(nil)))
        }
        compressor = c
        decompressor = d
    }

    deinit {
        tjDestroy(compressor)
        tjDestroy(decompressor)
    }

    /// Encodes `image` as a baseline JPEG with 4:4:4 sampling at `quality` (1...100).
    public func encode(_ image: RGBImage, quality: Int = 95) throws -> [UInt8] {
        var buffer: UnsafeMutablePointer<UInt8>? = nil
        var size: UInt = 0
        let status = image.pixels.withUnsafeBufferPointer { src in
            tjCompress2(compressor, src.baseAddress, Int32(image.width), 0, Int32(image.height),
                        Int32(TJPF_RGB.rawValue), &buffer, &size, Int32(TJSAMP_444.rawValue),
                        Int32(quality), 0)
        }
        defer { tjFree(buffer) }
        guard status == 0, let buffer else { throw error(compressor, "encode") }
        return Array(UnsafeBufferPointer(start: buffer, count: Int(size)))
    }

    /// Reads width and height from a JPEG's header without decoding the pixels.
    public func size(of data: [UInt8]) throws -> (width: Int, height: Int) {
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
        let status = data.withUnsafeBufferPointer { src in
            tjDecompressHeader3(decompressor, src.baseAddress, UInt(src.count),
                                &width, &height, &subsampling, &colorspace)
        }
        guard status == 0 else { throw error(decompressor, "read header") }
        return (Int(width), Int(height))
    }

    /// Decodes a JPEG into RGB pixels.
    public func decode(_ data: [UInt8]) throws -> RGBImage {
        let (width, height) = try size(of: data)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        let status = data.withUnsafeBufferPointer { src in
            pixels.withUnsafeMutableBufferPointer { dst in
                tjDecompress2(decompressor, src.baseAddress, UInt(src.count), dst.baseAddress,
                              Int32(width), 0, Int32(height), Int32(TJPF_RGB.rawValue), 0)
            }
        }
        guard status == 0 else { throw error(decompressor, "decode") }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    private func error(_ handle: tjhandle, _ operation: String) -> JPEGError {
        JPEGError(operation: operation, reason: String(cString: tjGetErrorStr2(handle)))
    }
}
