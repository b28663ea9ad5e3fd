import Detection
import Foundation

/// A YOLO-format dataset written into a fresh temporary folder: data.yaml, images/val/*.jpg|png,
/// labels/val/*.txt and a predictions folder, for running `studyctl eval` on.
struct TinyDataset {
    struct Image {
        var name: String
        var width: Int
        var height: Int
        /// Lines of the label file; nil writes no file.
        var labels: [String]?
        /// Lines of the prediction file; nil writes no file.
        var predictions: [String]?
        var png = false
    }

    let root: URL
    var yaml: String { root.appendingPathComponent("data.yaml").path }
    var predictions: String { root.appendingPathComponent("predictions").path }

    init(names: [String], images: [Image]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("studyctl-eval-\(UUID().uuidString)")
        let manager = FileManager.default
        for folder in ["images/val", "labels/val", "predictions"] {
            try manager.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try write("path: .\nval: images/val\nnames: [\(names.joined(separator: ", "))]\n", to: "data.yaml")
        let codec = try JPEGCodec()
        for image in images {
            let bytes =
                image.png
                ? Self.png(width: image.width, height: image.height)
                : try codec.encode(
                    RGBImage(
                        width: image.width, height: image.height,
                        pixels: [UInt8](repeating: 128, count: image.width * image.height * 3)),
                    quality: 50)
            try Data(bytes).write(
                to: root.appendingPathComponent("images/val/\(image.name).\(image.png ? "png" : "jpg")"))
            if let labels = image.labels {
                try write(labels.joined(separator: "\n"), to: "labels/val/\(image.name).txt")
            }
            if let predictions = image.predictions {
                try write(predictions.joined(separator: "\n"), to: "predictions/\(image.name).txt")
            }
        }
    }

    func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: root.appendingPathComponent(path))
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    /// A valid grey RGB PNG: IHDR, one IDAT of stored (uncompressed) deflate blocks, IEND.
    static func png(width: Int, height: Int) -> [UInt8] {
        func be32(_ v: UInt32) -> [UInt8] {
            [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
        }
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            return be32(UInt32(data.count)) + body + be32(crc32(body))
        }
        var raw: [UInt8] = []
        for _ in 0..<height { raw += [0] + [UInt8](repeating: 128, count: width * 3) }
        var zlib: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let n = min(65535, raw.count - offset)
            let final: UInt8 = offset + n == raw.count ? 1 : 0
            zlib += [final, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8(~n >> 8 & 0xFF)]
            zlib += raw[offset..<offset + n]
            offset += n
        } while offset < raw.count
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in raw {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        zlib += be32(b << 16 | a)
        let ihdr = be32(UInt32(width)) + be32(UInt32(height)) + [8, 2, 0, 0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", ihdr) + chunk("IDAT", zlib)
            + chunk("IEND", [])
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        }
        return ~crc
    }
}
