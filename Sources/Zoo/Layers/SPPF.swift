import Engine

/// Spatial pyramid pooling, fast (YOLOv5 models/common.py `SPPF`): three chained k×k max-pools,
/// equivalent to SPP with kernels (5, 9, 13) for k = 5. x: [N, c1, H, W] → [N, c2, H, W].
public final class SPPF: UnaryLayer {
    public let cv1: ConvBNAct, cv2: ConvBNAct
    public let kernel: Int

    public init(_ c1: Int, _ c2: Int, kernel: Int = 5, rng: inout Philox) {
        let hidden = c1 / 2
        cv1 = ConvBNAct(c1, hidden, kernel: 1, rng: &rng)
        cv2 = ConvBNAct(hidden * 4, c2, kernel: 1, rng: &rng)
        self.kernel = kernel
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let x = cv1(x)
        let y1 = maxPool2d(x, kernel: kernel, stride: 1, padding: kernel / 2)
        let y2 = maxPool2d(y1, kernel: kernel, stride: 1, padding: kernel / 2)
        let y3 = maxPool2d(y2, kernel: kernel, stride: 1, padding: kernel / 2)
        return cv2(concat([x, y1, y2, y3], axis: 1))
    }
}
