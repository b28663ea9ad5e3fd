import Foundation
import Results
import Study
import Testing

struct RecommendationTests {
    /// Student-t figures from tables (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.2).
    @Test func tQuantilesMatchTables() {
        #expect(abs(SeedStatistics.tQuantile(0.975, df: 2) - 4.303) < 1e-3)
        #expect(abs(SeedStatistics.tQuantile(0.975, df: 4) - 2.776) < 1e-3)
        #expect(abs(SeedStatistics.tQuantile(0.975, df: 30) - 2.042) < 1e-3)
    }

    /// A hand-worked Welch test: a = [1, 2, 3], b = [4, 5, 6]: t = −3.674, df = 4, p = 0.0213.
    @Test func welchTestByHand() throws {
        let p = try #require(SeedStatistics.welchP([1, 2, 3], [4, 5, 6]))
        #expect(abs(p - 0.02131) < 1e-4)
        #expect(SeedStatistics.welchP([1], [2]) == nil)
        let s = SeedStatistics.summarise([1, 2, 3])
        #expect(s.mean == 2 && s.std == 1 && abs(s.ci95! - 4.303 / 3.0.squareRoot()) < 1e-3)
    }

    static func summary(map: Double, params: Int) -> RunSummary {
        let row = EpochResult(epoch: 0, trainBox: 0, trainObj: 0, trainCls: 0, precision: 0.5, recall: 0.5, map50: map + 0.2,
                              map50to95: map, valBox: 0, valObj: 0, valCls: 0, lr0: 0, lr1: 0, lr2: 0)
        return RunSummary(backbone: "b", neck: "n", classes: 1, imageSize: 64, seed: 0, epochs: 1, epochsRun: 1, batch: 1,
                          parameters: params, gflops: 1, bestEpoch: 0, best: row, final: row, datasetFingerprint: "", anchors: [],
                          hyp: [:], optimizer: "SGD", cosLR: false, version: "")
    }

    static func group(_ name: String, _ maps: [Double], params: Int, total: Int? = nil) -> RecommendationBuilder.Group {
        .init(name: name, backbone: name, neck: "n", imageSize: 64, seedsTotal: total ?? maps.count,
              summaries: maps.map { summary(map: $0, params: params) })
    }

    /// Within the tolerance the cheaper cell wins on accuracy per million parameters; the front
    /// holds the cells no other beats on both accuracy and cost.
    @Test func cheapestWithinToleranceWins() throws {
        let r = RecommendationBuilder.build(
            [Self.group("big", [0.50, 0.52], params: 4_000_000), Self.group("small", [0.495, 0.505], params: 1_000_000),
             Self.group("bad", [0.30, 0.31], params: 2_000_000)],
            metric: .map50_95, cost: .params, tolerance: 0.02)
        #expect(r.recommended == "small")
        #expect(r.cells.map(\.name) == ["big", "small", "bad"])
        #expect(r.cells.map(\.onParetoFront) == [true, true, false])
        #expect(r.cells.map(\.paretoFronts) == [[.params, .gflops], [.params], []], "equal GFLOPs: only the most accurate is on that front")
        #expect(r.cells.map(\.accuracy) == [0.51, 0.5, 0.305].map { $0 } && r.cells.map(\.cost) == [4, 1, 2])
        #expect(r.rule.contains("small") && r.rule.contains("within 0.02"))
        #expect(r.noise.contains("small and big are within seed noise"))
        #expect(r.noise.contains("small and bad differ beyond seed noise"), "\(r.noise)")
        let p = try #require(SeedStatistics.welchP([0.495, 0.505], [0.50, 0.52]))
        let q = try #require(SeedStatistics.welchP([0.495, 0.505], [0.30, 0.31]))
        #expect(q < 0.05)
        #expect(r.comparisons == [.init(cell: "big", p: p), .init(cell: "bad", p: q)], "the leader and the runner-up outside the tolerance")
    }

    /// A clear winner is still set against the runner-up, so two seeds always give a verdict.
    @Test func aClearWinnerIsComparedWithTheRunnerUp() throws {
        let r = RecommendationBuilder.build(
            [Self.group("a", [0.80, 0.74], params: 2_000_000), Self.group("b", [0.64, 0.63], params: 2_000_000)],
            metric: .map50, cost: .params, tolerance: 0.02)
        #expect(r.recommended == "a")
        let p = try #require(SeedStatistics.welchP([0.80, 0.74], [0.64, 0.63]))
        #expect(r.comparisons?.map(\.cell) == ["b"])
        #expect(abs((r.comparisons?.first?.p ?? 0) - p) < 1e-12)
        #expect(!r.noise.contains("only cell"))
    }

    @Test func oneSeedGivesNoComparisons() {
        let r = RecommendationBuilder.build(
            [Self.group("a", [0.5], params: 1_000_000), Self.group("b", [0.495], params: 500_000)],
            metric: .map50_95, cost: .params, tolerance: 0.01)
        #expect(r.recommended == "b")
        #expect(r.comparisons == nil)
        #expect(r.noise.hasPrefix("One seed per cell"))
    }

    @Test func noRecommendationWhileCellsAreMissing() {
        let r = RecommendationBuilder.build(
            [Self.group("a", [0.5], params: 1_000_000), Self.group("b", [0.4], params: 1_000_000, total: 2)],
            metric: .map50_95, cost: .params, tolerance: 0.01)
        #expect(r.recommended == nil)
        #expect(r.missing == ["b (1/2 seeds)"])
        #expect(r.rule.contains("not finished"))
    }
}
