import Testing
import Training

/// Hyperparameters: typed in code, parsed by name, with YOLOv5's names and defaults.
struct HyperparametersTests {
    @Test func everyNamedKeyHasItsTypedKeyAndDefault() {
        #expect(Hyperparameters.Key.allCases.map(\.rawValue) == Hyperparameters.keys.map(\.name), "one table, in hyp.scratch-low.yaml's order")
        let hyp = Hyperparameters()
        for (name, value, _) in Hyperparameters.keys { #expect(hyp[Hyperparameters.Key(rawValue: name)!] == value, "\(name)") }
        // hyp.scratch-low.yaml v7.0
        #expect(hyp[.lr0] == 0.01 && hyp[.weightDecay] == 0.0005 && hyp[.warmupBiasLR] == 0.1 && hyp[.mosaic] == 1)
    }

    @Test func namesParseAndATypoGetsTheNearestName() throws {
        var hyp = Hyperparameters()
        try hyp.apply(overrides: ["weight_decay=0.001", "mosaic = 0"])
        #expect(hyp[.weightDecay] == 0.001 && hyp[.mosaic] == 0)
        #expect(throws: (any Error).self) { try hyp.apply(overrides: ["mosiac=0.5"]) }
        do {
            try hyp.set("mosiac", 0.5, source: "--set")
        } catch {
            #expect(error.description.contains("unknown hyperparameter 'mosiac' — did you mean 'mosaic'?"), "\(error)")
        }
    }
}
