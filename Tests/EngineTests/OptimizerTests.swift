import Engine
import Foundation
import Testing

/// The scenario of tools/optim_reference.py: YOLOv5's three groups (biases; weights with decay;
/// BatchNorm weights), lr and momentum changed before every step as in warmup, gradients
/// g = c·p + d, and a parameter (p3) that never gets a gradient.
enum OptimizerScenario {
    static let shapes: [Shape] = [[5], [3, 7], [2], [3]]
    static let groups = [[0], [1], [2, 3]]
    static let decay = [0.0, 0.05, 0.0]
    static let steps = 5

    static func values(_ t: Int, _ n: Int) -> (p: [Float], c: [Float], d: [Float]) {
        let j = Array(0..<n)
        return (j.map { Float((($0 + 7 * t) * 37) % 23 - 11) / 8 }, j.map { 0.5 + Float(($0 + t) % 5) * 0.25 },
                j.map { Float((($0 + 3 * t) * 13) % 9 - 4) / 16 })
    }

    /// lr and momentum of `group` before step `k` (0-based).
    static func hyper(_ group: Int, _ k: Int) -> (lr: Double, momentum: Double) {
        (group == 0 ? 0.1 - 0.018 * Double(k) : 0.002 + 0.004 * Double(k), 0.8 + 0.03 * Double(k))
    }

    static func makeParams() -> [Tensor] {
        shapes.enumerated().map { t, shape in Tensor(values(t, shape.count).p, shape: shape) }
    }

    static func makeGroups(_ params: [Tensor]) -> [ParameterGroup] {
        groups.enumerated().map { j, members in
            // lr and momentum are set before every step by `run`; momentum starts non-zero because
            // Nesterov SGD refuses momentum 0 at construction, as torch.optim.SGD does.
            ParameterGroup(members.map { params[$0] }, lr: 0, momentum: 0.9, weightDecay: decay[j])
        }
    }

    /// Runs steps `range` of the scenario on `optimizer` over `params`.
    static func run(_ optimizer: Optimizer, _ params: [Tensor], steps range: Range<Int> = 0..<steps) {
        for k in range {
            for (j, group) in optimizer.groups.enumerated() { (group.lr, group.momentum) = hyper(j, k) }
            for t in 0..<3 {
                let (_, c, d) = values(t, params[t].count)
                let p = params[t].scalars
                params[t].grad = Tensor((0..<p.count).map { c[$0] * p[$0] + d[$0] }, shape: params[t].shape)
            }
            optimizer.step()
        }
    }

    /// The same trajectory in Double, for SGD (`adam` false) or AdamW (β2 0.999, ε 1e-8).
    static func reference(adam: Bool, nesterov: Bool = false) -> [[Double]] {
        var p = shapes.enumerated().map { t, s in values(t, s.count).p.map(Double.init) }
        var m = p.map { $0.map { _ in 0.0 } }, v = m
        for k in 0..<steps {
            for (j, members) in groups.enumerated() {
                let (lr, mu) = hyper(j, k)
                for t in members where t < 3 {
                    let (_, c, d) = values(t, p[t].count)
                    for i in p[t].indices {
                        let g = Double(c[i]) * p[t][i] + Double(d[i])
                        if adam {
                            p[t][i] *= 1 - lr * decay[j]
                            m[t][i] = mu * m[t][i] + (1 - mu) * g
                            v[t][i] = 0.999 * v[t][i] + 0.001 * g * g
                            let mHat = m[t][i] / (1 - pow(mu, Double(k + 1)))
                            let vHat = v[t][i] / (1 - pow(0.999, Double(k + 1)))
                            p[t][i] -= lr * mHat / (vHat.squareRoot() + 1e-8)
                        } else {
                            let gd = g + decay[j] * p[t][i]
                            m[t][i] = mu * m[t][i] + gd
                            p[t][i] -= lr * (nesterov ? gd + mu * m[t][i] : m[t][i])
                        }
                    }
                }
            }
        }
        return p
    }
}

/// torch.optim results for the scenario.
enum TorchReference {
    // torch 2.15.0+cu132, tools/optim_reference.py
    static let sgd: [[Float]] = [
        [
            -7.827353e-01, 2.0370086e-01, -4.5651653e-01, 3.2852858e-01, -1.25e-01,
        ],
        [
            -5.3799236e-01, 9.1438633e-01, 1.9133538e-02, -8.785188e-01, 6.0070467e-01, -4.4779542e-01,
            1.0865098e+00, 1.0012639e-01, -8.020538e-01, 6.955784e-01, -3.5759848e-01, 1.17208e+00,
            1.8111925e-01, -6.399389e-01, 7.9045224e-01, -1.803939e-01, -1.1528459e+00, 2.621121e-01,
            -5.6347376e-01, 8.853261e-01, -9.019695e-02,
        ],
        [
            8.649144e-02, -7.797333e-01,
        ],
        [
            8.75e-01, -2.5e-01, -1.375e+00,
        ],
    ]
    static let sgdNesterov: [[Float]] = [
        [
            -6.248327e-01, 1.6354735e-01, -3.970145e-01, 2.1326776e-01, -1.25e-01,
        ],
        [
            -5.2081585e-01, 8.7373275e-01, 2.2742882e-02, -8.3310264e-01, 5.958017e-01, -4.3748948e-01,
            1.0549524e+00, 9.5434256e-02, -7.655806e-01, 6.8459576e-01, -3.5416314e-01, 1.1329114e+00,
            1.6812563e-01, -5.9662694e-01, 7.7338994e-01, -1.6665268e-01, -1.1099646e+00, 2.4081701e-01,
            -5.291047e-01, 8.621839e-01, -8.332634e-02,
        ],
        [
            7.902455e-02, -7.379891e-01,
        ],
        [
            8.75e-01, -2.5e-01, -1.375e+00,
        ],
    ]
    static let adamW: [[Float]] = [
        [
            -1.0063396e+00, 1.672427e-02, -3.855078e-01, 6.317945e-01, -1.25e-01,
        ],
        [
            -5.565478e-01, 1.0553368e+00, 6.708276e-02, -1.0553246e+00, 5.564214e-01, -4.318066e-01,
            1.1800097e+00, 5.758772e-02, -9.306224e-01, 6.812244e-01, -3.069632e-01, 1.3047093e+00,
            1.8240981e-01, -8.0594707e-01, 8.0594707e-01, -1.8246856e-01, -1.304714e+00, 3.071545e-01,
            -6.812439e-01, 9.3065155e-01, -5.769687e-02,
        ],
        [
            5.793245e-02, -9.3308854e-01,
        ],
        [
            8.75e-01, -2.5e-01, -1.375e+00,
        ],
    ]
}

/// max |a − b| over all elements of all tensors, and where the worst one is.
func maxDifference(_ got: [Tensor], _ want: [[Double]]) -> (error: Double, at: String) {
    var worst = (error: 0.0, at: "")
    for (t, (tensor, values)) in zip(got, want).enumerated() {
        for (i, (a, b)) in zip(tensor.scalars, values).enumerated() where abs(Double(a) - b) > worst.error {
            worst = (abs(Double(a) - b), "p\(t)[\(i)]: \(a) vs \(b)")
        }
    }
    return worst
}

struct OptimizerTests {
    // Hand-worked: p = 1, g = 0.5, lr 0.1, wd 0.1, μ 0.9. Step 1: g' = 0.6, b = 0.6.
    // Step 2: g' = 0.5 + 0.1·p, b = 0.9·0.6 + g'.
    @Test(arguments: [
        (0.9, false, [0.94, 0.8266]),  // p −= 0.1·b: 1 − 0.06; g' = 0.594, b = 1.134, 0.94 − 0.1134
        (0.9, true, [0.886, 0.725566]),  // p −= 0.1·(g' + 0.9·b): 1 − 0.114; g' = 0.5886, b = 1.1286, 0.886 − 0.160434
        (0.0, false, [0.94, 0.8806]),  // p −= 0.1·g': 1 − 0.06; g' = 0.594, 0.94 − 0.0594
    ])
    func sgdMatchesHandWorkedSteps(momentum: Double, nesterov: Bool, expected: [Float]) {
        let p = Tensor([1], shape: [1])
        let sgd = SGD([ParameterGroup([p], lr: 0.1, momentum: momentum, weightDecay: 0.1)], nesterov: nesterov)
        for want in expected {
            p.grad = Tensor([0.5], shape: [1])
            sgd.step()
            #expect(abs(p.item - want) < 1e-6, "got \(p.item), expected \(want)")
        }
    }

    // Hand-worked: p = 1, lr 0.1, wd 0.01, β (0.9, 0.999). Step 1, g = 0.5: m̂ = g, v̂ = g², so
    // p = 1·(1 − 0.001) − 0.1·0.5/(0.5 + 1e-8) = 0.899. Step 2, g = −0.25: m = 0.02, v = 0.00031225,
    // p = 0.899·0.999 − 0.1·(0.02/0.19)/(√(0.00031225/0.001999) + 1e-8) = 0.8714673.
    // torch.optim.AdamW gives 0.89900005 and 0.87146735.
    @Test func adamWMatchesHandWorkedSteps() {
        let p = Tensor([1], shape: [1])
        let adam = AdamW([ParameterGroup([p], lr: 0.1, momentum: 0.9, weightDecay: 0.01)])
        for (g, want) in [(Float(0.5), Float(0.899)), (-0.25, 0.8714673)] {
            p.grad = Tensor([g], shape: [1])
            adam.step()
            #expect(abs(p.item - want) < 1e-6, "got \(p.item), expected \(want)")
        }
        #expect(adam.state["state.0.step"]?.item == 2)
    }

    @Test(arguments: [false, true])
    func sgdMatchesTorchAndDoubleReference(nesterov: Bool) {
        let params = OptimizerScenario.makeParams()
        OptimizerScenario.run(SGD(OptimizerScenario.makeGroups(params), nesterov: nesterov), params)
        let torch = nesterov ? TorchReference.sgdNesterov : TorchReference.sgd
        let vsTorch = maxDifference(params, torch.map { $0.map(Double.init) })
        let vsDouble = maxDifference(params, OptimizerScenario.reference(adam: false, nesterov: nesterov))
        #expect(vsTorch.error < 5e-7, "vs torch: \(vsTorch.at)")  // measured: within 2 float ulps
        #expect(vsDouble.error < 1e-5, "vs Double: \(vsDouble.at)")
    }

    @Test func adamWMatchesTorchAndDoubleReference() {
        let params = OptimizerScenario.makeParams()
        OptimizerScenario.run(AdamW(OptimizerScenario.makeGroups(params)), params)
        let vsTorch = maxDifference(params, TorchReference.adamW.map { $0.map(Double.init) })
        let vsDouble = maxDifference(params, OptimizerScenario.reference(adam: true))
        #expect(vsTorch.error < 5e-7, "vs torch: \(vsTorch.at)")  // measured: within 2 float ulps
        #expect(vsDouble.error < 1e-5, "vs Double: \(vsDouble.at)")
    }

    @Test func aLongParameterCrossesThreadChunksAndMatchesTheScalarFormula() {
        let n = 100_003
        let start = testValues(n, seed: 5), grad = testValues(n, seed: 6)
        let p = Tensor(start, shape: [n])
        p.grad = Tensor(grad, shape: [n])
        SGD([ParameterGroup([p], lr: 0.01, momentum: 0.9, weightDecay: 1e-3)], nesterov: true).step()
        let lr: Float = 0.01, mu: Float = 0.9, wd: Float = 1e-3
        let want = zip(start, grad).map { p0, g0 in
            let g = g0 + wd * p0
            return p0 - lr * (g + mu * g)
        }
        #expect(p.scalars == want)
    }

    @Test func stateHasTorchNamesAndResumesExactly() throws {
        let straight = OptimizerScenario.makeParams()
        OptimizerScenario.run(SGD(OptimizerScenario.makeGroups(straight), nesterov: true), straight)

        let first = OptimizerScenario.makeParams()
        let sgd = SGD(OptimizerScenario.makeGroups(first), nesterov: true)
        #expect(sgd.state.keys.sorted() == (0..<4).map { "state.\($0).momentum_buffer" })
        OptimizerScenario.run(sgd, first, steps: 0..<2)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sgd-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Safetensors.write(sgd.state, to: path)

        let resumed = first.map { $0.copy() }
        let fresh = SGD(OptimizerScenario.makeGroups(resumed), nesterov: true)
        try SafetensorsFile(path: path).load(into: fresh.state)
        OptimizerScenario.run(fresh, resumed, steps: 2..<OptimizerScenario.steps)
        #expect(resumed.map(\.scalars) == straight.map(\.scalars))
    }

    @Test func adamWStateCountsStepsOnlyForParametersWithGradients() {
        let params = OptimizerScenario.makeParams()
        let adam = AdamW(OptimizerScenario.makeGroups(params))
        OptimizerScenario.run(adam, params)
        let state = adam.state
        #expect(state.count == 12)
        #expect((0..<3).map { state["state.\($0).step"]?.item } == [5, 5, 5])
        #expect(state["state.3.step"]?.item == 0)
        #expect(state["state.3.exp_avg"]?.scalars == [0, 0, 0])
    }

    @Test func zeroGradKeepsTheGradientBuffers() {
        let p = Tensor([1, 2, 3], shape: [3])
        let grad = Tensor([4, 5, 6], shape: [3])
        p.grad = grad
        let sgd = SGD([ParameterGroup([p], lr: 0.1, momentum: 0.9)])
        sgd.zeroGrad()
        #expect(p.grad === grad)
        #expect(grad.scalars == [0, 0, 0])
    }
}
