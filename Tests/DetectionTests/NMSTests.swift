import Detection
import Testing

struct NMSTests {
    func box(_ x1: Float, _ y1: Float, _ x2: Float, _ y2: Float, _ conf: Float, _ cls: Int = 0) -> PredictedBox {
        PredictedBox(box: PixelBox(x1: x1, y1: y1, x2: x2, y2: y2), confidence: conf, classID: cls)
    }

    @Test func suppressesOverlapsWithinAClassOnly() {
        let a = box(0, 0, 10, 10, 0.9)
        let b = box(1, 1, 11, 11, 0.8)  // IoU with a: 81 / 119 = 0.68
        let c = box(20, 20, 30, 30, 0.7)
        let d = box(1, 1, 11, 11, 0.85, 1)  // same place as b, other class
        let e = box(0, 0, 10, 10, 0.2)  // below the confidence threshold
        let kept = nonMaxSuppression(
            [c, b, e, a, d], options: NMSOptions(confidenceThreshold: 0.25, iouThreshold: 0.45))
        #expect(kept == [a, d, c])
        let agnostic = nonMaxSuppression([c, b, e, a, d], options: NMSOptions(iouThreshold: 0.45, classAgnostic: true))
        #expect(agnostic == [a, c])
    }

    @Test func iouThresholdIsExclusiveAndMaxDetectionsCuts() {
        let a = box(0, 0, 10, 10, 0.9)
        let half = box(0, 0, 10, 5, 0.8)  // IoU 0.5 exactly
        #expect(nonMaxSuppression([a, half], options: NMSOptions(iouThreshold: 0.5)).count == 2)
        #expect(nonMaxSuppression([a, half], options: NMSOptions(iouThreshold: 0.49)).count == 1)
        let far = (0..<10).map { box(Float($0) * 20, 0, Float($0) * 20 + 10, 10, 0.3 + Float($0) * 0.05) }
        let kept = nonMaxSuppression(far, options: NMSOptions(maxDetections: 3))
        #expect(kept.map(\.confidence) == [far[9].confidence, far[8].confidence, far[7].confidence])
    }

    @Test func equalConfidencesKeepInputOrder() {
        let a = box(0, 0, 10, 10, 0.5)
        let b = box(1, 0, 11, 10, 0.5)
        #expect(nonMaxSuppression([a, b]) == [a])
        #expect(nonMaxSuppression([b, a]) == [b])
    }

    @Test func thousandsOfBoxesTakeMilliseconds() {
        var rng = SplitMix64(seed: 7)
        let candidates = (0..<20_000).map { _ -> PredictedBox in
            let x = Float(rng.unit() * 600)
            let y = Float(rng.unit() * 600)
            let w = Float(8 + rng.unit() * 60)
            let h = Float(8 + rng.unit() * 60)
            return box(x, y, x + w, y + h, Float(rng.unit()), Int(rng.unit() * 5))
        }
        let clock = ContinuousClock()
        var kept: [PredictedBox] = []
        let elapsed = clock.measure {
            kept = nonMaxSuppression(candidates, options: NMSOptions(confidenceThreshold: 0.001, maxDetections: 300))
        }
        #expect(kept.count == 300)
        #expect(elapsed < .milliseconds(500), "NMS of 20,000 boxes took \(elapsed)")
        // Every kept pair of one class overlaps by at most the threshold.
        for (i, p) in kept.enumerated() {
            for q in kept[(i + 1)...] where q.classID == p.classID {
                #expect(boxIoU(p.box, q.box) <= 0.45 + 1e-6)
            }
        }
    }
}

/// A small seeded generator for test data (SplitMix64).
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
