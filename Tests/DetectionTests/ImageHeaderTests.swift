import Detection
import Testing

struct ImageHeaderTests {
    func jpeg(width: Int, height: Int) throws -> [UInt8] {
        try JPEGCodec().encode(
            RGBImage(
                width: width, height: height,
                pixels: [UInt8](repeating: 90, count: width * height * 3)))
    }

    @Test func jpegSizeFromTheFrameHeader() throws {
        #expect(ImageHeader.size(of: try jpeg(width: 16, height: 12)) ?? (0, 0) == (16, 12))
    }

    @Test func exifOrientationSixSwapsWidthAndHeight() throws {
        let plain = try jpeg(width: 16, height: 12)
        // APP1 "Exif\0\0" + little-endian TIFF with IFD0 holding one entry: Orientation (0x0112) = 6.
        let tiff: [UInt8] = [
            0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01, 0x00,
            0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,
        ]
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        let app1: [UInt8] = [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
        let rotated = Array(plain[0..<2]) + app1 + Array(plain[2...])
        #expect(ImageHeader.size(of: rotated) ?? (0, 0) == (12, 16))
    }

    @Test func pngBmpAndWebPHeaders() {
        let png: [UInt8] =
            [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
            + [0, 0, 0x02, 0x80, 0, 0, 0x01, 0xE0, 8, 2, 0, 0, 0]
        #expect(ImageHeader.size(of: png) ?? (0, 0) == (640, 480))

        var bmp = [UInt8](repeating: 0, count: 54)
        bmp[0] = 0x42
        bmp[1] = 0x4D
        bmp[14] = 40
        bmp[18] = 0x20  // width 800
        bmp[19] = 0x03
        for (i, byte) in [0xA8, 0xFD, 0xFF, 0xFF].enumerated() { bmp[22 + i] = UInt8(byte) }  // height -600: top-down
        #expect(ImageHeader.size(of: bmp) ?? (0, 0) == (800, 600))

        let webp: [UInt8] =
            Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WEBPVP8X".utf8) + [10, 0, 0, 0, 0, 0, 0, 0]
            + [0x3F, 0x01, 0x00, 0xEF, 0x00, 0x00]  // canvas 320 × 240, stored minus one
        #expect(ImageHeader.size(of: webp) ?? (0, 0) == (320, 240))
    }

    @Test func garbageAndTruncatedFilesAreProblemsNotCrashes() throws {
        #expect(ImageHeader.size(of: [0x00, 0x01, 0x02]) == nil)
        #expect(ImageHeader.size(of: Array("GIF89a......".utf8)) == nil)
        let truncated = Array(try jpeg(width: 16, height: 12).prefix(20))
        #expect(ImageHeader.size(of: truncated) == nil)
        #expect(throws: InputProblem.self) { try ImageHeader.size(ofImageAt: "/nonexistent/image.jpg") }
    }
}
