import Detection
import Testing

struct JPEGCodecTests {
    /// A 16×12 gradient: smooth enough that JPEG at quality 95 stays within a few levels.
    func gradient() -> RGBImage {
        var pixels: [UInt8] = []
        for y in 0..<12 {
            for x in 0..<16 { pixels += [UInt8(x * 16), UInt8(y * 20), 128] }
        }
        return RGBImage(width: 16, height: 12, pixels: pixels)
    }

    @Test func encodeThenDecodeKeepsSizeAndPixels() throws {
        let codec = try JPEGCodec()
        let image = gradient()
        let data = try codec.encode(image, quality: 95)
        #expect(data.starts(with: [0xFF, 0xD8]), "JPEG starts with SOI")
        let size = try codec.size(of: data)
        #expect(size.width == 16 && size.height == 12)
        let decoded = try codec.decode(data)
        #expect(decoded.width == 16 && decoded.height == 12)
        let maxDiff = zip(decoded.pixels, image.pixels).map { abs(Int($0) - Int($1)) }.max()!
        #expect(maxDiff <= 8, "max pixel difference after a q95 round trip: \(maxDiff)")
    }

    @Test func garbageIsAnErrorNotACrash() throws {
        let codec = try JPEGCodec()
        #expect(throws: JPEGError.self) { try codec.decode([0x00, 0x01, 0x02, 0x03]) }
    }
}
