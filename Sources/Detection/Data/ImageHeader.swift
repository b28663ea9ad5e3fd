#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// Image sizes read from file headers without decoding pixels: JPEG (with its EXIF orientation),
/// PNG, BMP and WebP, recognised by content rather than by extension.
public enum ImageHeader {
    /// The width and height of the image at `path`, as it is displayed: a JPEG whose EXIF
    /// orientation is 5 to 8 is stored rotated a quarter turn, so its width and height swap,
    /// as OpenCV's `imread` (which YOLOv5's loader uses) swaps them.
    public static func size(ofImageAt path: String) throws(InputProblem) -> (width: Int, height: Int) {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 { throw InputProblem(file: path, "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { throw InputProblem(file: path, "not a regular file") }
        let reader = Reader(fd: fd)
        guard let size = size(reader), size.width > 0, size.height > 0 else {
            throw InputProblem(
                file: path, "cannot read the image size: not a JPEG, PNG, BMP or WebP, or a truncated header")
        }
        return size
    }

    /// The size from an image's bytes (at least its header), or nil.
    public static func size(of bytes: [UInt8]) -> (width: Int, height: Int)? {
        size(Reader(bytes: bytes))
    }

    static func size(_ r: Reader) -> (width: Int, height: Int)? {
        guard let head = r.bytes(at: 0, count: 12) else { return nil }
        if head[0] == 0xFF && head[1] == 0xD8 { return jpeg(r) }
        if head[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            guard let ihdr = r.bytes(at: 16, count: 8) else { return nil }
            return (Int(be32(ihdr, 0)), Int(be32(ihdr, 4)))
        }
        if head[0] == 0x42 && head[1] == 0x4D { return bmp(r) }
        if head[0..<4].elementsEqual(Array("RIFF".utf8)) && head[8..<12].elementsEqual(Array("WEBP".utf8)) {
            return webp(r)
        }
        return nil
    }

    /// The EXIF orientation (1...8) of a JPEG's bytes; 1 when there is none or it is not a JPEG.
    public static func orientation(ofJPEG bytes: [UInt8]) -> Int {
        guard bytes.count > 2, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return 1 }
        return jpegFrame(Reader(bytes: bytes))?.orientation ?? 1
    }

    static func jpeg(_ r: Reader) -> (width: Int, height: Int)? {
        guard let frame = jpegFrame(r) else { return nil }
        let o = frame.orientation
        return o >= 5 && o <= 8 ? (frame.height, frame.width) : (frame.width, frame.height)
    }

    // ITU-T T.81 B.2: markers, then a frame header SOFn with height and width.
    static func jpegFrame(_ r: Reader) -> (width: Int, height: Int, orientation: Int)? {
        var pos = 2
        var orientation = 1
        while true {
            guard let m = r.bytes(at: pos, count: 2), m[0] == 0xFF else { return nil }
            var marker = m[1]
            while marker == 0xFF {  // fill bytes
                pos += 1
                guard let next = r.bytes(at: pos + 1, count: 1) else { return nil }
                marker = next[0]
            }
            if marker == 0x01 || (0xD0...0xD7).contains(marker) {
                pos += 2
                continue
            }
            if marker == 0xD9 || marker == 0xDA { return nil }  // EOI or SOS before any frame header
            guard let l = r.bytes(at: pos + 2, count: 2) else { return nil }
            let length = Int(be16(l, 0))
            guard length >= 2 else { return nil }
            let isFrame = (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
            if isFrame {
                guard let f = r.bytes(at: pos + 4, count: 5) else { return nil }
                let height = Int(be16(f, 1))
                let width = Int(be16(f, 3))
                return (width, height, (1...8).contains(orientation) ? orientation : 1)
            }
            // IFD0, which holds the orientation, sits at the start of the EXIF segment.
            if marker == 0xE1, let segment = r.bytes(at: pos + 4, count: min(length - 2, 4096)),
                segment.starts(with: Array("Exif".utf8) + [0, 0])
            {
                orientation = exifOrientation(Array(segment.dropFirst(6))) ?? orientation
            }
            pos += 2 + length
        }
    }

    /// The Orientation tag (0x0112) of IFD0 in a TIFF structure, or nil.
    static func exifOrientation(_ tiff: [UInt8]) -> Int? {
        guard tiff.count >= 8 else { return nil }
        let little = tiff[0] == 0x49 && tiff[1] == 0x49
        guard little || (tiff[0] == 0x4D && tiff[1] == 0x4D) else { return nil }
        func u16(_ i: Int) -> Int? {
            guard i >= 0, i + 2 <= tiff.count else { return nil }
            return little ? Int(tiff[i]) | Int(tiff[i + 1]) << 8 : Int(tiff[i]) << 8 | Int(tiff[i + 1])
        }
        func u32(_ i: Int) -> Int? {
            guard let a = u16(i), let b = u16(i + 2) else { return nil }
            return little ? a | b << 16 : a << 16 | b
        }
        guard let ifd = u32(4), let entries = u16(ifd) else { return nil }
        for e in 0..<entries {
            let entry = ifd + 2 + 12 * e
            guard let tag = u16(entry) else { return nil }
            if tag == 0x0112 { return u16(entry + 8) }
        }
        return nil
    }

    // BITMAPFILEHEADER (14 bytes), then BITMAPCOREHEADER (16-bit sizes) or BITMAPINFOHEADER and later.
    static func bmp(_ r: Reader) -> (width: Int, height: Int)? {
        guard let h = r.bytes(at: 14, count: 12) else { return nil }
        let headerSize = le32(h, 0)
        if headerSize == 12 { return (Int(le16(h, 4)), Int(le16(h, 6))) }
        let width = Int(Int32(bitPattern: le32(h, 4)))
        let height = Int(Int32(bitPattern: le32(h, 8)))
        return (abs(width), abs(height))  // negative height: rows stored top-down
    }

    // RIFF container; the first chunk is VP8 (lossy), VP8L (lossless) or VP8X (extended).
    static func webp(_ r: Reader) -> (width: Int, height: Int)? {
        guard let c = r.bytes(at: 12, count: 18) else { return nil }
        switch String(decoding: c[0..<4], as: UTF8.self) {
        case "VP8 ":
            guard c[11] == 0x9D && c[12] == 0x01 && c[13] == 0x2A else { return nil }
            return (Int(le16(c, 14) & 0x3FFF), Int(le16(c, 16) & 0x3FFF))
        case "VP8L":
            guard c[8] == 0x2F else { return nil }
            let bits = le32(c, 9)
            return (Int(bits & 0x3FFF) + 1, Int((bits >> 14) & 0x3FFF) + 1)
        case "VP8X":
            let w = Int(c[12]) | Int(c[13]) << 8 | Int(c[14]) << 16
            let h = Int(c[15]) | Int(c[16]) << 8 | Int(c[17]) << 16
            return (w + 1, h + 1)
        default:
            return nil
        }
    }

    static func be16(_ b: [UInt8], _ i: Int) -> UInt32 { UInt32(b[i]) << 8 | UInt32(b[i + 1]) }
    static func be32(_ b: [UInt8], _ i: Int) -> UInt32 { be16(b, i) << 16 | be16(b, i + 2) }
    static func le16(_ b: [UInt8], _ i: Int) -> UInt32 { UInt32(b[i]) | UInt32(b[i + 1]) << 8 }
    static func le32(_ b: [UInt8], _ i: Int) -> UInt32 { le16(b, i) | le16(b, i + 2) << 16 }

    /// Random access to a file's bytes: the first 4 KiB read once, the rest with `pread`.
    final class Reader {
        private let fd: Int32
        private let head: [UInt8]
        private let headIsWhole: Bool

        init(fd: Int32) {
            self.fd = fd
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
            buffer.removeLast(buffer.count - max(n, 0))
            head = buffer
            headIsWhole = n < 4096
        }

        init(bytes: [UInt8]) {
            fd = -1
            head = bytes
            headIsWhole = true
        }

        /// `count` bytes at `offset`, or nil past the end.
        func bytes(at offset: Int, count: Int) -> [UInt8]? {
            guard offset >= 0, count >= 0 else { return nil }
            if offset + count <= head.count { return Array(head[offset..<offset + count]) }
            if headIsWhole || fd < 0 { return nil }
            var buffer = [UInt8](repeating: 0, count: count)
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
            return n == count ? buffer : nil
        }
    }
}
