import Detection
import Foundation
import Testing
import Training

/// AutoAnchor against yolov5 v7.0 utils/autoanchor.py. The reference numbers are printed by
/// `bench/autoanchor_reference.py` (a numpy/scipy port of check_anchors and kmean_anchors), whose label
/// sets and datasets are the closed-form fixtures below, written identically there.
struct AutoAnchorTests {
    typealias WH = (Double, Double)
    typealias Image = (width: Int, height: Int, boxes: [WH])

    // MARK: Fixtures (mirrored in bench/autoanchor_reference.py)

    /// LABELS_A: 240 (w, h) pixel boxes, every value exact in Float.
    static let labelsA: [WH] = (0..<240).map { (i: Int) -> WH in
        let w: Double = 2 + Double(i * 37 % 241) * 1.5
        let h: Double = 2 + Double(i * 91 % 233) * 1.25
        return (w, h)
    }

    /// yolov5n.yaml anchors (P3/8, P4/16, P5/32) in pixels, and the same scaled by 0.1.
    static let defaultAnchors: [[Float]] = [[10, 13, 16, 30, 33, 23], [30, 61, 62, 45, 59, 119], [116, 90, 156, 198, 373, 326]]
    static let badAnchors: [[Float]] = [[1.0, 1.3, 1.6, 3.0, 3.3, 2.3], [3.0, 6.1, 6.2, 4.5, 5.9, 11.9],
                                        [11.6, 9.0, 15.6, 19.8, 37.3, 32.6]]

    static func pairs(_ levels: [[Float]]) -> [WH] {
        levels.flatMap { level in stride(from: 0, to: level.count, by: 2).map { (Double(level[$0]), Double(level[$0 + 1])) } }
    }

    /// PLUS: 5 multiplicative offsets whose mean is the centre exactly.
    static let plus: [WH] = [(1.0, 1.0), (0.98, 1.0), (1.02, 1.0), (1.0, 0.98), (1.0, 1.02)]

    static func plusCluster(_ w: Double, _ h: Double, copies count: Int = 1) -> [WH] {
        (0..<count).flatMap { _ in plus.map { (w * $0.0, h * $0.1) } }
    }

    /// CLUSTERS9: 9 tight clusters of 5 boxes centred on the default anchors.
    static let clusters9: [WH] = pairs(defaultAnchors).flatMap { plusCluster($0.0, $0.1) }
    /// CLUSTERS3: 3 tight clusters of 25 boxes.
    static let c3Centres: [WH] = [(20, 30), (90, 60), (300, 250)]
    static let clusters3: [WH] = c3Centres.flatMap { plusCluster($0.0, $0.1, copies: 5) }

    static let sizes: [(Int, Int)] = [(640, 480), (1280, 720), (500, 500), (800, 1200)]

    /// Images with boxes given in pixels at image size 640 (YOLOv5's `shapes = imgsz * shapes / shapes.max(1)`),
    /// stored as normalized labels.
    static func dataset(_ images: [Image]) -> DetectionDataset {
        var items: [DetectionDataset.Item] = []
        for (index, image) in images.enumerated() {
            let m = Double(max(image.width, image.height))
            let sw = 640.0 * Double(image.width) / m, sh = 640.0 * Double(image.height) / m
            let labels = image.boxes.map { YOLOLabel(classID: 0, box: NormalizedBox(cx: 0.5, cy: 0.5, w: $0.0 / sw, h: $0.1 / sh)) }
            items.append(DetectionDataset.Item(path: "image\(index).jpg", width: image.width, height: image.height, labels: labels))
        }
        return DetectionDataset(split: "train", names: ["object"], items: items, ignored: [], duplicateLabels: 0)
    }

    /// K3: CLUSTERS3 over the 4 image sizes, 4 boxes below 2 px on both sides (dropped by `(wh0 >= 2.0).any(1)`)
    /// and a 1.5 × 24 box (kept: one side reaches 2 px).
    static func k3Images() -> [Image] {
        var images: [Image] = []
        for (i, box) in clusters3.enumerated() { images.append((sizes[i % 4].0, sizes[i % 4].1, [box])) }
        images.append((640, 480, [(1.0, 1.5), (1.5, 1.0)]))
        images.append((1280, 720, [(1.25, 1.75), (1.75, 1.25), (1.5, 24.0)]))
        return images
    }

    /// CK: 16 images × 5 boxes, one of each of 5 sizes with ±1 % variations, placed where no (box, anchor)
    /// ratio of either anchor set is near 4 or 1/4: bpr and aat do not depend on check's random 0.9–1.1 scale.
    static let ckBases: [WH] = [(19.0, 41.5), (33.75, 64.0), (78.0, 105.0), (190.0, 153.0), (340.0, 300.0)]

    static func ckImages() -> [Image] {
        (0..<16).map { i -> Image in
            let boxes: [WH] = (0..<5).map { j in
                let base = ckBases[(i + j) % 5]
                return (base.0 * (1 + 0.01 * Double((i * j) % 5 - 2)), base.1 * (1 + 0.01 * Double((i + 2 * j) % 5 - 2)))
            }
            return (sizes[i % 4].0, sizes[i % 4].1, boxes)
        }
    }

    /// K9: CLUSTERS9 in 640 × 640 images, 5 boxes each.
    static func k9Images() -> [Image] {
        stride(from: 0, to: clusters9.count, by: 5).map { i -> Image in (640, 640, Array(clusters9[i..<i + 5])) }
    }

    // MARK: Helpers

    static func close(_ a: Double, _ b: Double, _ rel: Double) -> Bool { abs(a - b) <= rel * max(abs(b), 1e-300) }

    static func byArea(_ k: [WH]) -> [WH] { k.sorted { $0.0 * $0.1 < $1.0 * $1.1 } }

    /// Whether the areas ascend, allowing `slack` (relative) for rounding.
    static func ascending(_ k: [WH], slack: Double = 0) -> Bool {
        zip(k, k.dropFirst()).allSatisfy { a, b in a.0 * a.1 <= b.0 * b.1 * (1 + slack) }
    }

    /// The boxes kmean_anchors clusters, built as AutoAnchor.kmeanAnchors builds them (no random scale, ≥ 2 px filter).
    static func kmeanBoxes(_ dataset: DetectionDataset, imageSize: Int = 640) -> [WH] {
        var all: [WH] = []
        for item in dataset.items {
            let scale = Double(imageSize) / Double(max(item.width, item.height))
            for label in item.labels { all.append((label.box.w * Double(item.width) * scale, label.box.h * Double(item.height) * scale)) }
        }
        return all.filter { $0.0 >= 2 || $0.1 >= 2 }
    }

    /// kmean_anchors' anchor_fitness(k): mean over boxes of the best ratio, counted only above 1/thr
    /// (AutoAnchor's own fitness is local to kmeanAnchors; this one is checked against YOLOv5 below).
    static func fitness(_ k: [WH], _ wh: [WH], threshold: Double = 4) -> Double {
        var total = 0.0
        for box in wh {
            var best = 0.0
            for anchor in k { best = max(best, AutoAnchor.ratio(box, anchor)) }
            if best > 1 / threshold { total += best }
        }
        return total / Double(wh.count)
    }

    // MARK: Tests

    @Test func metricMatchesCheckAnchors() {
        // Reference: yolov5 v7.0 utils/autoanchor.py check_anchors metric(), computed by bench/autoanchor_reference.py
        // (best > 1/thr: 228 and 42 of 240 boxes; x > 1/thr: 840 and 60 (box, anchor) pairs)
        let good = AutoAnchor.metric(Self.pairs(Self.defaultAnchors), Self.labelsA, threshold: 4)
        #expect(Self.close(good.bpr, 228.0 / 240, 1e-9) && Self.close(good.aat, 840.0 / 240, 1e-9), "\(good)")
        let bad = AutoAnchor.metric(Self.pairs(Self.badAnchors), Self.labelsA, threshold: 4)
        #expect(Self.close(bad.bpr, 42.0 / 240, 1e-9) && Self.close(bad.aat, 60.0 / 240, 1e-9), "\(bad)")
    }

    @Test func ratioIsTheSmallerSideOfMinOfRAndItsInverseInFloat() {
        // Reference: yolov5 v7.0 utils/autoanchor.py metric() `torch.min(r, 1 / r).min(2)` in float32, computed by bench/autoanchor_reference.py
        let cases: [(WH, WH, Double)] = [((20, 40), (10, 13), 0.32499998807907104), ((5, 100), (16, 30), 0.30000001192092896),
                                         ((373, 326), (373, 326), 1.0), ((3.5, 2.0), (1.3, 1.0), 0.37142857909202576)]
        for (box, anchor, expected) in cases {
            #expect(Self.close(AutoAnchor.ratio(box, anchor), expected, 1e-12), "\(box) / \(anchor): \(AutoAnchor.ratio(box, anchor))")
        }
    }

    @Test func fitnessOracleMatchesAnchorFitness() {
        // Reference: yolov5 v7.0 utils/autoanchor.py kmean_anchors anchor_fitness(), computed by bench/autoanchor_reference.py
        #expect(Self.close(Self.fitness(Self.pairs(Self.defaultAnchors), Self.labelsA), 0.589257505411903, 1e-9))
        #expect(Self.close(Self.fitness(Self.pairs(Self.badAnchors), Self.labelsA), 0.06896917149424553, 1e-9))
        #expect(Self.close(Self.fitness(Self.pairs(Self.defaultAnchors), Self.clusters9), 0.9841568602455987, 1e-9))
    }

    @Test func kmeansFindsThreeSeparatedClusters() {
        // Reference: yolov5 v7.0 utils/autoanchor.py kmean_anchors `kmeans(wh / s, n, iter=30)[0] * s` (scipy), computed by bench/autoanchor_reference.py
        var rng = SampleRandom(seed: 11, epoch: 0, index: 0)
        let k = Self.byArea(AutoAnchor.kmeans(Self.clusters3, 3, restarts: 30, rng: &rng))
        #expect(k.count == 3)
        for (got, expected) in zip(k, Self.c3Centres) {
            #expect(Self.close(got.0, expected.0, 1e-6) && Self.close(got.1, expected.1, 1e-6), "\(got) vs \(expected)")
        }
    }

    @Test func kmeansFindsTheNineClustersOfTheDefaultAnchors() {
        // Reference: yolov5 v7.0 utils/autoanchor.py kmean_anchors scipy kmeans on whitened wh, computed by bench/autoanchor_reference.py
        // Random starts reach this optimum 7 % of the time: 400 starts miss it with probability 3e-13.
        var rng = SampleRandom(seed: 12, epoch: 0, index: 0)
        let k = Self.byArea(AutoAnchor.kmeans(Self.clusters9, 9, restarts: 400, rng: &rng))
        #expect(k.count == 9)
        for (got, expected) in zip(k, Self.pairs(Self.defaultAnchors)) {
            #expect(Self.close(got.0, expected.0, 1e-6) && Self.close(got.1, expected.1, 1e-6), "\(got) vs \(expected)")
        }
    }

    @Test func kmeanAnchorsClustersTheFilteredBoxesAndSortsByArea() {
        // Reference: yolov5 v7.0 utils/autoanchor.py kmean_anchors (`(wh0 >= 2.0).any(1)`, kmeans, print_results sort), computed by bench/autoanchor_reference.py
        // The 1.5 × 24 box joins the (20, 30) cluster; with `.all(1)` it would be (20, 30), without the filter (16.9, 25.98).
        let data = Self.dataset(Self.k3Images())
        #expect(Self.kmeanBoxes(data).count == 76)
        var rng = SampleRandom(seed: 13, epoch: 0, index: 0)
        let k = AutoAnchor.kmeanAnchors(data, count: 3, imageSize: 640, threshold: 4, generations: 0, rng: &rng)
        let expected: [WH] = [(501.5 / 26, 774.0 / 26), (90, 60), (300, 250)]
        #expect(k.count == 3)
        for (got, want) in zip(k, expected) {
            #expect(Self.close(got.0, want.0, 1e-6) && Self.close(got.1, want.1, 1e-6), "\(got) vs \(want)")
        }
        // anchor_fitness of these cluster means: 0.9647668388329054
        #expect(Self.close(Self.fitness(k, Self.kmeanBoxes(data)), 0.9647668388329054, 1e-7))
    }

    @Test func evolutionRaisesTheKMeansFitnessAndKeepsTheSort() {
        // Reference: yolov5 v7.0 utils/autoanchor.py kmean_anchors evolution (mp 0.9, sigma 0.1, `fg > f`), computed by bench/autoanchor_reference.py
        // From the k-means fitness 0.9647668 YOLOv5 reached 0.9688–0.9708 in 300 generations (10 seeds).
        let data = Self.dataset(Self.k3Images())
        var rng = SampleRandom(seed: 14, epoch: 0, index: 0)
        let k = AutoAnchor.kmeanAnchors(data, count: 3, imageSize: 640, threshold: 4, generations: 300, rng: &rng)
        let atLeastTwo = k.allSatisfy { $0.0 >= 2 && $0.1 >= 2 }
        #expect(k.count == 3 && atLeastTwo)
        #expect(Self.ascending(k), "sorted by area: \(k)")
        let f = Self.fitness(k, Self.kmeanBoxes(data))
        #expect(f > 0.9647668388329054 * (1 + 1e-6) && f < 0.98, "fitness \(f)")
    }

    @Test func evolutionCannotImproveOnTheOptimumOfTightClusters() {
        // Reference: yolov5 v7.0 utils/autoanchor.py kmean_anchors, computed by bench/autoanchor_reference.py
        // On K9 YOLOv5's k-means gives the 9 centres (fitness 0.98415679) and 1000 generations never replace them.
        let data = Self.dataset(Self.k9Images())
        var rng = SampleRandom(seed: 17, epoch: 0, index: 0)  // a seed whose 30 starts reach the optimum
        var copy = rng  // kmeanAnchors starts with the same k-means draws
        let wh = Self.kmeanBoxes(data)
        let start = Self.byArea(AutoAnchor.kmeans(wh, 9, restarts: 30, rng: &copy))
        let k = AutoAnchor.kmeanAnchors(data, count: 9, imageSize: 640, threshold: 4, generations: 1000, rng: &rng)
        #expect(k.count == 9)
        #expect(Self.ascending(k), "sorted by area: \(k)")
        #expect(Self.fitness(k, wh) >= Self.fitness(start, wh), "evolution lowered the fitness")
        let optimum = Self.pairs(Self.defaultAnchors)
        let startIsOptimum = zip(start, optimum).allSatisfy { a, b in Self.close(a.0, b.0, 1e-6) && Self.close(a.1, b.1, 1e-6) }
        if startIsOptimum {
            // 30 random starts find it 88 % of the time (seed 17 does); from there no mutation may be accepted
            for (got, want) in zip(k, optimum) {
                #expect(Self.close(got.0, want.0, 1e-5) && Self.close(got.1, want.1, 1e-5), "\(got) vs \(want)")
            }
        }
    }

    @Test func checkKeepsAnchorsThatFit() {
        // Reference: yolov5 v7.0 utils/autoanchor.py check_anchors (bpr 80/80, aat 400/80, `bpr > 0.98`), computed by bench/autoanchor_reference.py
        let report = AutoAnchor.check(Self.dataset(Self.ckImages()), anchors: Self.defaultAnchors, imageSize: 640, threshold: 4, seed: 1)
        #expect(Self.close(report.bestPossibleRecall, 1.0, 1e-9) && Self.close(report.anchorsPerTarget, 5.0, 1e-9),
                "\(report.bestPossibleRecall) \(report.anchorsPerTarget)")
        #expect(!report.recomputed && report.newRecall == nil && report.anchors == Self.defaultAnchors)
        #expect(report.message.hasPrefix("AutoAnchor: 5.00 anchors/target, 1.000 Best Possible Recall (BPR). "), "\(report.message)")
    }

    @Test func checkRecomputesAnchorsThatDoNotFit() {
        // Reference: yolov5 v7.0 utils/autoanchor.py check_anchors (bpr 48/80, aat 96/80, recompute, new bpr 1.0 in 10 of 10 runs), computed by bench/autoanchor_reference.py
        let report = AutoAnchor.check(Self.dataset(Self.ckImages()), anchors: Self.badAnchors, imageSize: 640, threshold: 4, seed: 2)
        #expect(Self.close(report.bestPossibleRecall, 0.6, 1e-9) && Self.close(report.anchorsPerTarget, 1.2, 1e-9),
                "\(report.bestPossibleRecall) \(report.anchorsPerTarget)")
        #expect(report.message.hasPrefix("AutoAnchor: 1.20 anchors/target, 0.600 Best Possible Recall (BPR). "), "\(report.message)")
        #expect(report.recomputed)
        #expect((report.newRecall ?? 0) >= 0.98, "new BPR \(String(describing: report.newRecall))")
        let shaped = report.anchors.count == 3 && report.anchors.allSatisfy { $0.count == 6 }
        #expect(shaped)
        // sorted by area before the fp16 rounding, which may swap two anchors of nearly equal area
        #expect(Self.ascending(Self.pairs(report.anchors), slack: 2e-3), "ascending area, so P3 gets the smallest: \(report.anchors)")
        let halfValues = report.anchors.joined().allSatisfy { $0 >= 2 && Float(Float16($0)) == $0 }
        #expect(halfValues, "fp16 values ≥ 2 px: \(report.anchors)")
    }
}
