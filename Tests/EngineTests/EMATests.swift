import Engine
import Foundation
import Testing

struct EMATests {
    static func model(_ seed: UInt64) -> [(name: String, tensor: Tensor)] {
        [("conv.weight", Tensor(testValues(40, seed: seed), shape: [2, 5, 2, 2])),
         ("bn.running_var", Tensor(testValues(5, seed: seed + 1).map { $0 + 2 }, shape: [5]))]
    }

    // python3 -c "import math; print([0.9999*(1-math.exp(-u/2000)) for u in (1,10,100,1000,2000,10000,100000)])"
    @Test(arguments: [
        (1, 0.000499825033328626), (10, 0.0049870220552369485), (100, 0.048765698441736054),
        (1000, 0.39342999335333784), (2000, 0.6320573467726748), (10000, 0.9931627267956145),
        (100_000, 0.9999),
    ])
    func decayRampsAsYOLOv5(updates: Int, expected: Double) {
        let ema = ModelEMA(Self.model(1))
        #expect(abs(ema.decay(updates: updates) - expected) < 1e-15)
    }

    @Test func startsAsACopyNotAnAlias() {
        let model = Self.model(1)
        let ema = ModelEMA(model)
        #expect(ema.states.map(\.name) == ["conv.weight", "bn.running_var"])
        #expect(ema.states.map(\.tensor.scalars) == model.map(\.tensor.scalars))
        #expect(ema.states[0].tensor !== model[0].tensor)
        model[0].tensor.data[0] = 42
        #expect(ema.states[0].tensor.data[0] != 42)
    }

    @Test func updatesMatchTheFloatFormulaAndADoubleReference() {
        let model = Self.model(1)
        let ema = ModelEMA(model, decay: 0.9999, tau: 3)  // a short ramp, so the average moves visibly
        var reference = model.map { $0.tensor.scalars.map(Double.init) }
        for step in 1...6 {
            let next = Self.model(UInt64(10 * step))
            for (current, fresh) in zip(model, next) {
                current.tensor.data.update(from: fresh.tensor.data, count: fresh.tensor.count)
            }
            let before = ema.states.map(\.tensor.scalars)
            ema.update(from: model)
            let d = 0.9999 * (1 - Foundation.exp(-Double(step) / 3))
            #expect(ema.updates == step)
            for (t, (average, current)) in zip(ema.states, model).enumerated() {
                // yolov5 v7.0 ModelEMA.update in float32: v *= d; v += (1 - d) * msd[k]
                let want = zip(before[t], current.tensor.scalars).map { $0 * Float(d) + Float(1 - d) * $1 }
                #expect(average.tensor.scalars == want, "state \(average.name) after update \(step)")
                reference[t] = zip(reference[t], current.tensor.scalars).map { d * $0 + (1 - d) * Double($1) }
            }
        }
        let error = maxDifference(ema.states.map(\.tensor), reference)
        #expect(error.error < 1e-6, "vs Double: \(error.at)")
    }

    @Test func resumesTheRampFromACheckpointedCount() {
        let model = Self.model(1)
        let straight = ModelEMA(model, tau: 2)
        for _ in 0..<3 { straight.update(from: Self.model(7)) }
        let resumed = ModelEMA(straight.states, tau: 2, updates: straight.updates)
        straight.update(from: Self.model(8))
        resumed.update(from: Self.model(8))
        #expect(resumed.updates == 4)
        #expect(resumed.states.map(\.tensor.scalars) == straight.states.map(\.tensor.scalars))
        #expect(resumed.state.keys.sorted() == ["bn.running_var", "conv.weight"])
    }
}
