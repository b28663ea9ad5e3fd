import Engine

/// Rounds every value of `states` to the nearest IEEE half and back, once, before training.
///
/// train.py v7.0 does `model.half().float()` after AutoAnchor ("pre-reduce anchor precision"),
/// so its first step starts from fp16-representable weights, buffers and anchors.
public func roundToHalfPrecision(_ states: [(name: String, tensor: Tensor)]) {
    for (_, tensor) in states {
        let p = tensor.data
        for i in 0..<tensor.count { p[i] = Float(Float16(p[i])) }
    }
}
