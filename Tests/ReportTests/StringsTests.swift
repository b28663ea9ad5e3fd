import Report
import Results
import Testing

/// The sentences the reports build from figures, in both languages.
struct StringsTests {
    @Test func seedNoiseIsWordedInTheReportsLanguage() {
        let comparisons = [Recommendation.SeedComparison(cell: "a", p: 0.4321), .init(cell: "b", p: 0.0123)]
        #expect(Strings.en.noise(chosen: "c", comparisons: comparisons)
            == "c and a are within seed noise of each other (Welch's t-test p = 0.43 ≥ 0.05). c and b differ beyond seed noise (Welch's t-test p = 0.012 < 0.05).")
        #expect(Strings.zh.noise(chosen: "c", comparisons: comparisons)
            == "c 与 a 的差异在种子噪声之内（Welch t 检验 p = 0.43 ≥ 0.05）。c 与 b 的差异超出种子噪声（Welch t 检验 p = 0.012 < 0.05）。")
        #expect(Strings.zh.noise(chosen: "c", comparisons: nil).hasPrefix("每个单元只有一个种子"))
        #expect(Strings.en.noise(chosen: "c", comparisons: []) == "c is the only cell within the tolerance.")
    }

    @Test func recommendationSentenceUsesTheCostsUnit() {
        let en = Strings.en.recommend(cell: "x", metric: "mAP@0.5:0.95", value: "0.300", cost: "params", costValue: "1.50", ratio: "0.200")
        #expect(en == "Use x: mAP@0.5:0.95 0.300 at 1.50 M parameters — 0.200 mAP@0.5:0.95 per million parameters.")
        let zh = Strings.zh.recommend(cell: "x", metric: "F1", value: "0.5", cost: "latency", costValue: "12.0", ratio: "0.04")
        #expect(zh == "推荐使用 x：F1 为 0.5，成本为 12.0 毫秒（批大小 1 的延迟），每毫秒的 F1 为 0.04。")
    }
}
