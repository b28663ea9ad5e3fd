import Report
import Testing

/// The seed band: mean and 95 % t-interval per x, by hand, and cut to the range a value can take.
struct SeedBandTests {
    @Test func twoSeedsGiveTheTIntervalAndTheCutKeepsItInRange() throws {
        // x = 0: 0.2 and 0.4 → mean 0.3, sd 0.1414, half-width 12.706 · 0.1414 / √2 = 1.2706
        let band = SeedBand([[(x: 0, y: 0.2), (x: 1, y: 0.9)], [(x: 0, y: 0.4)]])
        #expect(band.x == [0, 1])
        #expect(abs(band.mean[0] - 0.3) < 1e-12 && band.mean[1] == 0.9)
        #expect(abs(band.upper[0] - (0.3 + 1.2706)) < 1e-3 && band.lower[1].isNaN, "one seed at x = 1: no interval")
        let cut = band.clipped(to: 0...1)
        #expect(cut.lower[0] == 0 && cut.upper[0] == 1 && cut.mean == band.mean && cut.lower[1].isNaN)
        #expect(band.clipped(to: 0...Double.infinity).upper[0] == band.upper[0])
    }
}
