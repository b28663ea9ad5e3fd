import Charts
import Foundation
import Testing

struct ScaleTests {
    @Test(arguments: [(0.7, 1.0), (1.0, 1.0), (1.3, 2.0), (2.2, 2.5), (3.0, 5.0), (7.0, 10.0), (0.013, 0.02), (420.0, 500.0)])
    func stepIsTheNextRoundNumber(raw: Double, expected: Double) {
        #expect(abs(NiceTicks.step(raw) - expected) < 1e-12 * expected)
    }

    @Test func linearTicksEncloseTheDataAtEvenSteps() {
        for (lo, hi, count) in [(0.0, 1.0, 5), (0.013, 0.87, 4), (-3.2, 7.9, 6), (1e-4, 3e-4, 5), (97.0, 103.0, 3)] {
            let (ticks, step) = NiceTicks.linear(lo, hi, count: count)
            #expect(ticks.first! <= lo && ticks.last! >= hi, "\(ticks) must enclose \(lo)...\(hi)")
            #expect(ticks.first! > lo - step && ticks.last! < hi + step, "no more than one step beyond the data")
            for (a, b) in zip(ticks, ticks.dropFirst()) { #expect(abs(b - a - step) < step * 1e-9) }
            #expect(ticks.allSatisfy { abs($0 / step - ($0 / step).rounded()) < 1e-9 }, "ticks are multiples of the step")
            #expect(ticks.count - 1 <= count * 2 + 1)
        }
    }

    @Test func zeroIsNeverNegative() {
        let (ticks, _) = NiceTicks.linear(-0.3, 0.3, count: 6)
        #expect(ticks.contains(0) && ticks.allSatisfy { $0 != 0 || $0.sign == .plus })
        #expect(TickFormat.label(-0.0001, decimals: 2) == "0.00")
    }

    @Test func logTicksAreOneTwoFiveOrDecades() {
        #expect(NiceTicks.log(0.8, 3.1) == [0.5, 1, 2, 5])
        let narrow = NiceTicks.log(1.2, 1.9)
        #expect(narrow.count == 5 && zip(narrow, [1.2, 1.4, 1.6, 1.8, 2.0]).allSatisfy { abs($0 - $1) < 1e-9 },
                "a narrow span gets linear ticks: \(narrow)")
        let wide = NiceTicks.log(3, 2e5)
        #expect(wide == [1, 10, 100, 1000, 1e4, 1e5, 1e6].map { Double($0) })
    }

    @Test func decimalsFollowTheStep() {
        #expect(TickFormat.decimals(step: 20) == 0)
        #expect(TickFormat.decimals(step: 0.2) == 1)
        #expect(TickFormat.decimals(step: 0.25) == 2)
        #expect(TickFormat.decimals(step: 2.5) == 1)
        #expect(TickFormat.decimals(step: 0.005) == 3)
    }

    @Test func scalesMapTheDomainOntoTheRange() {
        let linear = Scale.nice(.linear, data: [0.1, 0.9], count: 4, range: (100, 0))
        #expect(linear.domain == 0...1)
        #expect(linear(0) == 100 && linear(1) == 0 && abs(linear(0.25) - 75) < 1e-9)
        let log = Scale.nice(.log, data: [1.5, 40], count: 4, range: (0, 300))
        #expect(log.domain == 1...50)
        #expect(abs(log(10) - 300 * log10(10) / log10(50)) < 1e-9)
        #expect(log(0) == 0, "non-positive values clamp to the start of a log axis")
    }

    @Test func simplifiedPolylineStaysWithinTolerance() {
        let points = (0...1000).map { i -> Point in
            let x = Double(i) / 1000 * 200
            return Point(x, 50 + 40 * sin(x / 20))
        }
        let simple = Polyline.simplify(points, tolerance: 0.15)
        #expect(simple.first == points.first && simple.last == points.last)
        #expect(simple.count < points.count / 4, "\(simple.count) of \(points.count) kept")
        // Every dropped point lies within the tolerance of the kept polyline (brute force).
        for p in points {
            let d = zip(simple, simple.dropFirst()).map { segmentDistance(p, $0, $1) }.min()!
            #expect(d <= 0.15 + 1e-9)
        }
    }

    func segmentDistance(_ p: Point, _ a: Point, _ b: Point) -> Double {
        var best = Double.infinity
        for k in 0...200 {
            let t = Double(k) / 200
            best = min(best, hypot(a.x + t * (b.x - a.x) - p.x, a.y + t * (b.y - a.y) - p.y))
        }
        return best - hypot(b.x - a.x, b.y - a.y) / 400
    }
}
