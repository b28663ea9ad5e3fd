import Detection

/// The canvas detect.py letterboxes one image to: the longer side `size`, the other side its
/// scaled length padded to a multiple of 32 (letterbox(auto=True)).
enum LetterboxSize {
    // yolov5 v7.0 utils/augmentations.py letterbox: new_unpad, then dw, dh = np.mod(dw, stride)
    static func detect(_ image: RGBImage, size: Int) -> (height: Int, width: Int) {
        let r = min(Double(size) / Double(image.height), Double(size) / Double(image.width))
        let newW = Int((Double(image.width) * r).rounded(.toNearestOrEven)), newH = Int((Double(image.height) * r).rounded(.toNearestOrEven))
        return (newH + (size - newH) % 32, newW + (size - newW) % 32)
    }
}
