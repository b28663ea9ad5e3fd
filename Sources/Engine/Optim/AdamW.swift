import Foundation

/// Adam with decoupled weight decay: `torch.optim.AdamW` (amsgrad off).
///
/// Each group's `momentum` is β1, as YOLOv5's smart_optimizer passes betas=(momentum, 0.999).
/// Moments start at zero and the step count is kept per parameter, as torch does.
public final class AdamW: Optimizer {
    public let groups: [ParameterGroup]
    public let beta2: Double
    public let eps: Double
    /// First and second moments and the step count (a one-element tensor) per parameter.
    private let expAvg: [[Tensor]], expAvgSq: [[Tensor]], steps: [[Tensor]]

    public init(_ groups: [ParameterGroup], beta2: Double = 0.999, eps: Double = 1e-8) {
        self.groups = groups
        self.beta2 = beta2
        self.eps = eps
        expAvg = groups.map { $0.params.map { Tensor(zeros: $0.shape) } }
        expAvgSq = groups.map { $0.params.map { Tensor(zeros: $0.shape) } }
        steps = groups.map { $0.params.map { _ in Tensor(zeros: []) } }
        checkParamsAreUnique("AdamW")
    }

    public var state: [String: Tensor] {
        var state: [String: Tensor] = [:]
        let moments = zip(expAvg.joined(), expAvgSq.joined())
        for (i, ((m, v), t)) in zip(moments, steps.joined()).enumerated() {
            state["state.\(i).exp_avg"] = m
            state["state.\(i).exp_avg_sq"] = v
            state["state.\(i).step"] = t
        }
        return state
    }

    public func step() {
        for (g, group) in groups.enumerated() {
            for (j, p) in group.params.enumerated() {
                guard let grad = p.grad else { continue }
                require(grad.count == p.count, "AdamW: gradient \(grad.shape) for parameter \(p.shape)")
                steps[g][j].data[0] += 1
                let t = Double(steps[g][j].data[0])
                let corrected1 = 1 - pow(group.momentum, t), corrected2 = 1 - pow(beta2, t)
                let update = Update(
                    param: p.data, grad: grad.data, expAvg: expAvg[g][j].data, expAvgSq: expAvgSq[g][j].data,
                    decayFactor: Float(1 - group.lr * group.weightDecay), gradWeight: Float(1 - group.momentum),
                    beta2: Float(beta2), squareWeight: Float(1 - beta2), stepSize: Float(group.lr / corrected1),
                    correction2Sqrt: Float(corrected2.squareRoot()), eps: Float(eps))
                forEachBlock(p.count, update)
            }
        }
    }

    // torch.optim.AdamW (PyTorch 2.x docs; 1 − β taken in Double, as torch does):
    // p ·= 1 − lr·wd; m = lerp(m, g, 1 − β1); v = β2·v + (1 − β2)·g²; p −= lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε)
    private struct Update: BlockKernel {
        let param: UnsafeMutablePointer<Float>, grad: UnsafeMutablePointer<Float>
        let expAvg: UnsafeMutablePointer<Float>, expAvgSq: UnsafeMutablePointer<Float>
        let decayFactor: Float, gradWeight: Float, beta2: Float, squareWeight: Float
        let stepSize: Float, correction2Sqrt: Float, eps: Float

        @inline(__always) func callAsFunction(_ i: Int, _ n: Int) {
            let g = grad.block(i, n)
            var m = expAvg.block(i, n)
            m += gradWeight * (g - m)
            let v = expAvgSq.block(i, n) * beta2 + squareWeight * g * g
            let denominator = v.squareRoot() / correction2Sqrt + eps
            param.setBlock(param.block(i, n) * decayFactor - stepSize * m / denominator, i, n)
            expAvg.setBlock(m, i, n)
            expAvgSq.setBlock(v, i, n)
        }
    }
}
