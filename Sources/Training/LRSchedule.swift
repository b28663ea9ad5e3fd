import Foundation

/// The per-epoch learning-rate factor of `train.py`: linear from 1 to lrf, or a cosine ramp (`--cos-lr`).
public struct LRSchedule: Sendable {
    public var epochs: Int
    public var lrf: Double
    public var cosine: Bool

    public init(epochs: Int, lrf: Double, cosine: Bool) { (self.epochs, self.lrf, self.cosine) = (epochs, lrf, cosine) }

    /// The factor of lr0 for `epoch`.
    // yolov5 v7.0 train.py lf; utils/general.py one_cycle(1, lrf, epochs)
    public func factor(_ epoch: Int) -> Double {
        let x = Double(epoch), n = Double(epochs)
        if cosine { return ((1 - Foundation.cos(x * Double.pi / n)) / 2) * (lrf - 1) + 1 }
        return (1 - x / n) * (1.0 - lrf) + lrf
    }
}

/// `np.interp(x, [0, x1], [y0, y1])` for 0 ≤ x ≤ x1.
func interp(_ x: Double, _ x1: Double, _ y0: Double, _ y1: Double) -> Double {
    if x1 <= 0 || x >= x1 { return y1 }
    return y0 + (y1 - y0) * (x / x1)
}
