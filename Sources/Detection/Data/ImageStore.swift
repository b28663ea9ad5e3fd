import Foundation

/// A dataset's images decoded and resized once, as YOLOv5's `load_image` resizes them (longest
/// side to the image size; linear interpolation for training, area when shrinking for
/// validation), kept in RAM when `cached`.
public final class ImageStore: @unchecked Sendable {
    public let dataset: DetectionDataset
    public let imageSize: Int
    public let forTraining: Bool
    private var cache: [RGBImage?]
    private let lock = NSLock()
    private let decoders = DecoderPool()

    public init(_ dataset: DetectionDataset, imageSize: Int, forTraining: Bool) {
        self.dataset = dataset
        self.imageSize = imageSize
        self.forTraining = forTraining
        cache = Array(repeating: nil, count: dataset.count)
    }

    /// Bytes the resized images take (3 per pixel), for the cache decision and the log.
    public var resizedBytes: Int {
        dataset.items.reduce(0) { total, item in
            let r = Double(imageSize) / Double(max(item.width, item.height))
            return total + Int((Double(item.width) * r).rounded(.up)) * Int((Double(item.height) * r).rounded(.up)) * 3
        }
    }

    /// Decodes and resizes every image into RAM on all cores. Images that fail to decode are
    /// reported (they passed the header check, so this is rare) and replaced by grey.
    public func cacheAll() -> [InputProblem] {
        let problems = Loading.map(Array(0..<dataset.count)) { i -> InputProblem? in
            switch Result(catching: { () throws(InputProblem) in try self.load(i) }) {
            case .success(let image):
                self.lock.withLock { self.cache[i] = image }
                return nil
            case .failure(let problem):
                return problem
            }
        }
        return problems.compactMap { $0 }
    }

    /// Image `i` resized, from the cache or from disk.
    public func image(_ i: Int) -> RGBImage {
        if let cached = lock.withLock({ cache[i] }) { return cached }
        if let image = try? load(i) { return image }
        let item = dataset.items[i]
        let r = Double(imageSize) / Double(max(item.width, item.height))
        let w = max(1, Int((Double(item.width) * r).rounded(.up))), h = max(1, Int((Double(item.height) * r).rounded(.up)))
        return RGBImage(width: w, height: h, pixels: [UInt8](repeating: 114, count: w * h * 3))
    }

    // yolov5 v7.0 utils/dataloaders.py load_image: r = img_size / max(h0, w0), size ceil(w0·r) × ceil(h0·r)
    func load(_ i: Int) throws(InputProblem) -> RGBImage {
        let item = dataset.items[i]
        let decoder = try decoders.take(item.path)
        defer { decoders.give(decoder) }
        let image = try decoder.load(item.path)
        let r = Double(imageSize) / Double(max(image.width, image.height))
        guard r != 1 else { return image }
        let w = Int((Double(image.width) * r).rounded(.up)), h = Int((Double(image.height) * r).rounded(.up))
        if forTraining || r > 1 { return ImageResize.linear(image, width: w, height: h) }
        return ImageResize.area(image, width: w, height: h)
    }
}

/// Image decoders shared by threads: each thread takes one, uses it, gives it back.
final class DecoderPool: @unchecked Sendable {
    private var free: [ImageDecoder] = []
    private let lock = NSLock()

    func take(_ path: String) throws(InputProblem) -> ImageDecoder {
        if let decoder = lock.withLock({ free.popLast() }) { return decoder }
        do {
            return try ImageDecoder()
        } catch {
            throw InputProblem(file: path, "cannot start the JPEG decoder: \(error)")
        }
    }

    func give(_ decoder: ImageDecoder) { lock.withLock { free.append(decoder) } }
}
