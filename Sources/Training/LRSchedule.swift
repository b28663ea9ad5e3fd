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

    /// The learning rate of parameter group `group` (0 = biases) at iteration `ni` of `epoch`, as train.py sets it.
    ///
    /// Warm-up interpolates towards lr0·lf(epoch); after it, LambdaLR holds lr0·lf(epoch − 1), because train.py
    /// sets `scheduler.last_epoch = start_epoch - 1` after the constructor's step — in the epoch where warm-up
    /// ends, the last interpolated lr0·lf(epoch) stays until the epoch's `scheduler.step()`.
    public func learningRate(group: Int, iteration ni: Int, epoch: Int, batchesPerEpoch nb: Int, warmupIterations nw: Int,
                             lr0: Double, warmupBiasLR: Double) -> Double {
        // yolov5 v7.0 train.py: warm-up np.interp(ni, [0, nw], [warmup_bias_lr if j == 0 else 0.0, initial_lr * lf(epoch)])
        if ni <= nw { return interp(Double(ni), Double(nw), group == 0 ? warmupBiasLR : 0, lr0 * factor(epoch)) }
        return lr0 * factor(nb * epoch <= nw ? epoch : epoch - 1)
    }
}

/// `np.interp(x, [0, x1], [y0, y1])` for 0 ≤ x ≤ x1.
func interp(_ x: Double, _ x1: Double, _ y0: Double, _ y1: Double) -> Double {
    if x1 <= 0 || x >= x1 { return y1 }
    return y0 + (y1 - y0) * (x / x1)
}
