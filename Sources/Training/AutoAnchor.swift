import Detection
import Foundation

/// YOLOv5's AutoAnchor: checks how well the anchors fit the dataset's boxes and, when the best
/// possible recall is below 0.98, recomputes them by k-means and a genetic evolution.
public enum AutoAnchor {
    /// What the check found and what it did.
    public struct Report: Sendable {
        public var anchorsPerTarget: Double
        public var bestPossibleRecall: Double
        /// The anchors to train with, per level [w, h] × 3 in pixels.
        public var anchors: [[Float]]
        public var recomputed: Bool
        public var newRecall: Double?
        public var message: String
    }

    /// Checks `anchors` (pixels, per level [w, h] × 3) against the boxes of `dataset` at `imageSize`.
    /// Random draws (the ±10 % scale jitter, k-means starts, mutations) come from `seed`.
    // yolov5 v7.0 utils/autoanchor.py check_anchors
    public static func check(_ dataset: DetectionDataset, anchors: [[Float]], imageSize: Int, threshold: Double,
                             seed: UInt64) -> Report {
        var rng = SampleRandom(seed: seed ^ 0x4155_544F, epoch: 0, index: 0)
        var wh: [(Double, Double)] = []
        for item in dataset.items {
            let scale = Double(imageSize) / Double(max(item.width, item.height)) * rng.uniform(0.9, 1.1)
            for label in item.labels {
                wh.append((label.box.w * Double(item.width) * scale, label.box.h * Double(item.height) * scale))
            }
        }
        let current = anchors.flatMap { level in stride(from: 0, to: level.count, by: 2).map { (Double(level[$0]), Double(level[$0 + 1])) } }
        let (bpr, aat) = metric(current, wh, threshold: threshold)
        let head = String(format: "AutoAnchor: %.2f anchors/target, %.3f Best Possible Recall (BPR). ", aat, bpr)
        guard bpr <= 0.98, !wh.isEmpty else {
            return Report(anchorsPerTarget: aat, bestPossibleRecall: bpr, anchors: anchors, recomputed: false,
                          newRecall: nil, message: head + "Current anchors are a good fit to dataset")
        }
        let fitted = kmeanAnchors(dataset, count: current.count, imageSize: imageSize, threshold: threshold,
                                  generations: 1000, rng: &rng)
        let newBPR = metric(fitted, wh, threshold: threshold).bpr
        guard newBPR > bpr else {
            return Report(anchorsPerTarget: aat, bestPossibleRecall: bpr, anchors: anchors, recomputed: false,
                          newRecall: newBPR,
                          message: head + "Anchors are a poor fit to dataset; the evolved ones are no better, proceeding with the original anchors")
        }
        // check_anchor_order: anchors ascend with the stride (they do: sorted by area)
        let levels = stride(from: 0, to: fitted.count, by: 3).map { i in
            fitted[i..<i + 3].flatMap { [Float(Float16(Float($0.0))), Float(Float16(Float($0.1)))] }
        }
        let text = fitted.map { String(format: "%.0f,%.0f", $0.0, $0.1) }.joined(separator: ", ")
        return Report(anchorsPerTarget: aat, bestPossibleRecall: bpr, anchors: levels, recomputed: true, newRecall: newBPR,
                      message: head + String(format: "Anchors are a poor fit to dataset, recomputed by k-means and evolution: BPR %.3f, anchors %@", newBPR, text))
    }

    /// Best possible recall (share of boxes with an anchor within the ratio threshold) and anchors per target.
    public static func metric(_ k: [(Double, Double)], _ wh: [(Double, Double)], threshold: Double) -> (bpr: Double, aat: Double) {
        guard !wh.isEmpty else { return (0, 0) }
        var above = 0.0, recall = 0.0
        for box in wh {
            var best = 0.0
            for anchor in k {
                let x = ratio(box, anchor)
                if x > 1 / threshold { above += 1 }
                best = max(best, x)
            }
            if best > 1 / threshold { recall += 1 }
        }
        return (recall / Double(wh.count), above / Double(wh.count))
    }

    /// min(r, 1/r) over width and height, r = box / anchor.
    @inline(__always) public static func ratio(_ box: (Double, Double), _ anchor: (Double, Double)) -> Double {
        let rw = Float(box.0) / Float(anchor.0), rh = Float(box.1) / Float(anchor.1)
        return Double(min(min(rw, 1 / rw), min(rh, 1 / rh)))
    }

    /// k-means on whitened (w, h), then 1000 generations of mutation keeping improvements in fitness
    /// (mean best ratio over boxes above the threshold); sorted by area.
    // yolov5 v7.0 utils/autoanchor.py kmean_anchors
    public static func kmeanAnchors(_ dataset: DetectionDataset, count n: Int, imageSize: Int, threshold: Double,
                             generations: Int, rng: inout SampleRandom) -> [(Double, Double)] {
        let thr = 1 / threshold
        var all: [(Double, Double)] = []
        for item in dataset.items {
            let scale = Double(imageSize) / Double(max(item.width, item.height))
            for label in item.labels { all.append((label.box.w * Double(item.width) * scale, label.box.h * Double(item.height) * scale)) }
        }
        let wh = all.filter { $0.0 >= 2 || $0.1 >= 2 }
        func fitness(_ k: [(Double, Double)]) -> Double {
            var total = 0.0
            for box in wh {
                var best = 0.0
                for anchor in k { best = max(best, ratio(box, anchor)) }
                if best > thr { total += best }
            }
            return total / Double(max(wh.count, 1))
        }
        var k: [(Double, Double)]
        if wh.count >= n {
            k = kmeans(wh, n, restarts: 30, rng: &rng)
        } else {
            k = (0..<n).map { _ in (rng.random() * Double(imageSize), rng.random() * Double(imageSize)) }
        }
        var f = fitness(k)
        for _ in 0..<generations {
            var v = [(Double, Double)](repeating: (1, 1), count: n)
            while v.allSatisfy({ $0 == (1, 1) }) {
                let strength = rng.random()
                v = (0..<n).map { _ in
                    func gene(_ rng: inout SampleRandom) -> Double {
                        let mutate = rng.random() < 0.9
                        let value = (mutate ? 1.0 : 0.0) * strength * rng.normal() * 0.1 + 1
                        return min(max(value, 0.3), 3.0)
                    }
                    return (gene(&rng), gene(&rng))
                }
            }
            let kg = zip(k, v).map { (max($0.0 * $1.0, 2), max($0.1 * $1.1, 2)) }
            let fg = fitness(kg)
            if fg > f { (f, k) = (fg, kg) }
        }
        return k.sorted { $0.0 * $0.1 < $1.0 * $1.1 }
    }

    /// Lloyd's k-means on (w, h) divided by their standard deviations, the best of `restarts`
    /// random starts by distortion (scipy.cluster.vq.kmeans, iter=30).
    public static func kmeans(_ points: [(Double, Double)], _ n: Int, restarts: Int, rng: inout SampleRandom) -> [(Double, Double)] {
        func std(_ xs: [Double]) -> Double {
            let m = xs.reduce(0, +) / Double(xs.count)
            return max((xs.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(xs.count)).squareRoot(), 1e-9)
        }
        let sw = std(points.map(\.0)), sh = std(points.map(\.1))
        let x = points.map { ($0.0 / sw, $0.1 / sh) }
        var best: [(Double, Double)] = []
        var bestDistortion = Double.infinity
        for _ in 0..<restarts {
            var picks: [Int] = []
            while picks.count < n {
                let i = rng.int(below: x.count)
                if !picks.contains(i) { picks.append(i) }
            }
            var centres = picks.map { x[$0] }
            var previous = Double.infinity
            while true {
                var sums = [(Double, Double, Int)](repeating: (0, 0, 0), count: n)
                var distortion = 0.0
                for p in x {
                    var nearest = 0, d2 = Double.infinity
                    for (c, centre) in centres.enumerated() {
                        let d = (p.0 - centre.0) * (p.0 - centre.0) + (p.1 - centre.1) * (p.1 - centre.1)
                        if d < d2 { (nearest, d2) = (c, d) }
                    }
                    distortion += d2.squareRoot()
                    sums[nearest].0 += p.0
                    sums[nearest].1 += p.1
                    sums[nearest].2 += 1
                }
                distortion /= Double(x.count)
                centres = zip(centres, sums).map { old, s in s.2 > 0 ? (s.0 / Double(s.2), s.1 / Double(s.2)) : old }
                if previous - distortion <= 1e-5 {
                    if distortion < bestDistortion { (bestDistortion, best) = (distortion, centres) }
                    break
                }
                previous = distortion
            }
        }
        return best.map { ($0.0 * sw, $0.1 * sh) }
    }
}
