import Foundation
import Results

/// A study folder made in code: plausible, seeded numbers for a few cells — never measured, and
/// titled so — with an unfinished cell, hostile class names, RTL and CJK text.
struct StudyFixture {
    var backbones = ["cspdarknet", "mobilenetv3-small", "ghostnet"]
    var necks = ["pan-sppf", "pan-aspp"]
    var seeds = 3
    var epochs = 12
    var names = ["<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "it's \"quoted\" & <b>bold</b>",
                 "قطة سوداء", "כלב", "猫咪", "shape"]
    /// Runs (folder names) left without summary.json: a partial results.csv of half the epochs.
    var unfinished: Set<String> = ["ghostnet__pan-aspp__s2"]
    /// Runs with no folder at all.
    var notStarted: Set<String> = []
    var language = "en"
    var title = "FIXTURE — synthetic numbers, not measured: <b>backbones</b> & \"necks\""
    var description = "Made in code by the report tests: every number is invented."
    /// A real run folder copied in as this run (its numbers are measured), e.g. /tmp/run30.
    var realRuns: [String: String] = [:]

    var cellNames: [String] { backbones.flatMap { b in necks.map { "\(b)__\($0)" } } }
    var runNames: [String] { cellNames.flatMap { c in (0..<seeds).map { "\(c)__s\($0)" } } }

    /// Writes the folder at `dir` (created) and returns the recommendation it wrote.
    @discardableResult
    func write(to dir: URL) throws -> Recommendation {
        let fm = FileManager.default
        try fm.createDirectory(at: dir.appendingPathComponent("runs"), withIntermediateDirectories: true)
        var summaries: [String: RunSummary] = [:]
        for (bi, backbone) in backbones.enumerated() {
            for (ni, neck) in necks.enumerated() {
                for seed in 0..<seeds {
                    let name = "\(backbone)__\(neck)__s\(seed)"
                    if notStarted.contains(name) { continue }
                    let runDir = dir.appendingPathComponent("runs/\(name)")
                    if let real = realRuns[name] {
                        try fm.createDirectory(at: runDir, withIntermediateDirectories: true)
                        for file in ["results.csv", "curves.json", "summary.json", "latency.json"] where fm.fileExists(atPath: "\(real)/\(file)") {
                            try fm.copyItem(atPath: "\(real)/\(file)", toPath: runDir.appendingPathComponent(file).path)
                        }
                        summaries[name] = try ResultFiles.readJSON(RunSummary.self, from: runDir.appendingPathComponent("summary.json").path)
                        continue
                    }
                    try fm.createDirectory(at: runDir, withIntermediateDirectories: true)
                    var random = Generator(seed: UInt64(bi * 1000 + ni * 100 + seed + 1))
                    let quality = 0.62 - 0.3 * Double(bi) / Double(max(1, backbones.count - 1)) + 0.03 * Double(ni) + random.normal(0.012)
                    var rows = (0..<epochs).map { row($0, quality: quality, random: &random) }
                    if unfinished.contains(name) {
                        rows = Array(rows.prefix(epochs / 2))
                        try Data(ResultsCSV.text(rows).utf8).write(to: runDir.appendingPathComponent("results.csv"))
                        continue
                    }
                    try Data(ResultsCSV.text(rows).utf8).write(to: runDir.appendingPathComponent("results.csv"))
                    try ResultFiles.writeJSON(curves(quality: quality, random: &random), to: runDir.appendingPathComponent("curves.json").path)
                    let best = rows.max { $0.fitness < $1.fitness }!
                    let summary = RunSummary(
                        backbone: backbone, neck: neck, classes: names.count, imageSize: 160, seed: UInt64(seed), epochs: epochs,
                        epochsRun: epochs, batch: 16, parameters: 1_761_871 - bi * 97_000 + ni * 131_072,
                        gflops: 4.1 - Double(bi) * 0.27 + Double(ni) * 0.3, bestEpoch: best.epoch, best: best, final: rows.last!,
                        datasetFingerprint: "fixture", anchors: [], hyp: ["lr0": 0.01], optimizer: "SGD",
                        cosLR: false, version: "fixture")
                    try ResultFiles.writeJSON(summary, to: runDir.appendingPathComponent("summary.json").path)
                    let latency = LatencyMeasurement(runtime: "fixture", machine: "fixture CPU", threads: 2, imageSize: 160, warmup: 3,
                                                     times: [11.8 - Double(bi) * 0.55 + Double(ni) * 0.9])
                    try ResultFiles.writeJSON(latency, to: runDir.appendingPathComponent("latency.json").path)
                    summaries[name] = summary
                }
            }
        }
        let manifest = StudyManifest(
            study: "fixture", title: title, description: description,
            studyHash: String(repeating: "ab", count: 32), datasetFingerprint: "fixture", datasetDescription: "none (fixture)",
            version: "fixture", gitCommit: "0000000", swiftVersion: "6.3", cpu: "fixture CPU", simd: ["avx2"], threads: 2, jobs: 1, executor: "local",
            openblas: "0.3", onednn: "2.7", seeds: (0..<seeds).map(UInt64.init), language: language, formats: ["html", "pdf"], started: "2024-05-01T10:00:00Z",
            finished: nil, cells: runNames.map { name in
                let p = name.components(separatedBy: "__")
                let state: CellState = notStarted.contains(name) ? .pending : unfinished.contains(name) ? .running : .done
                return StudyManifest.Cell(name: name, backbone: p[0], neck: p[1], imageSize: 160,
                                          seed: UInt64(p[2].dropFirst())!, state: state)
            }, command: "studyctl run fixture/study.toml")
        try ResultFiles.writeJSON(manifest, to: dir.appendingPathComponent("manifest.json").path)
        let toml = """
            [study]
            name = "fixture"
            title = "\(title.replacingOccurrences(of: "\"", with: "\\\""))"
            repeats = \(seeds)

            [grid]
            backbone = [\(backbones.map { "\"\($0)\"" }.joined(separator: ", "))]
            neck = [\(necks.map { "\"\($0)\"" }.joined(separator: ", "))]

            [report]
            formats = ["html", "pdf"]
            language = "\(language)"   # en | zh

            """
        try Data(toml.utf8).write(to: dir.appendingPathComponent("study.toml"))
        let rec = FixtureRecommendation.make(cells: cellNames, seeds: seeds, summaries: summaries)
        try ResultFiles.writeJSON(rec, to: dir.appendingPathComponent("recommendation.json").path)
        return rec
    }

    func row(_ e: Int, quality q: Double, random: inout Generator) -> EpochResult {
        let t = 1 - exp(-Double(e + 1) / Double(epochs) * 3)
        let map50: Double = max(0, q * t + random.normal(0.006))
        let trainBox: Double = 0.11 - 0.05 * t + random.normal(0.001)
        let trainCls: Double = 0.05 - 0.03 * t + random.normal(0.0005)
        let valBox: Double = 0.1 - 0.04 * t + random.normal(0.001)
        let precision: Double = min(1, map50 * 1.15 + 0.05), recall: Double = min(1, map50 * 1.05 + 0.03)
        return EpochResult(epoch: e, trainBox: trainBox, trainObj: 0.03 - 0.008 * t, trainCls: trainCls, precision: precision,
                           recall: recall, map50: map50, map50to95: map50 * 0.58, valBox: valBox, valObj: 0.025 - 0.005 * t,
                           valCls: 0.045 - 0.025 * t, lr0: 0.01, lr1: 0.01, lr2: 0.01)
    }

    func curves(quality q: Double, random: inout Generator) -> Curves {
        let grid = (0..<1000).map { Double($0) / 999 }
        let nc = names.count
        var r: [Double] = [], p0: [Double] = []
        for _ in 0..<nc {
            r.append(min(0.98, q + 0.2 + random.normal(0.05)))
            p0.append(max(0.02, 0.1 + random.normal(0.03)))
        }
        func precisionAt(_ k: Int, _ c: Double) -> Double { p0[k] + (1 - p0[k]) * pow(c, 0.6) * 0.95 }
        func recallAt(_ k: Int, _ c: Double) -> Double { r[k] * (1 - pow(c, 2.5)) }
        func prAt(_ k: Int, _ x: Double) -> Double { x <= r[k] ? 1 - (1 - p0[k]) * pow(x / r[k], 3) : 0 }
        func f1Of(_ p: Double, _ rc: Double) -> Double { p + rc > 0 ? 2 * p * rc / (p + rc) : 0 }
        let precision = (0..<nc).map { k in grid.map { precisionAt(k, $0) } }
        let recall = (0..<nc).map { k in grid.map { recallAt(k, $0) } }
        let f1 = (0..<nc).map { k in zip(precision[k], recall[k]).map { f1Of($0, $1) } }
        let pr = (0..<nc).map { k in grid.map { prAt(k, $0) } }
        func mean(_ m: [[Double]]) -> [Double] { (0..<1000).map { i in m.reduce(0) { $0 + $1[i] } / Double(nc) } }
        let ap = pr.map { curve in zip(curve, curve.dropFirst()).reduce(0) { $0 + ($1.0 + $1.1) / 2 / 999 } }
        let instances = (0..<nc).map { 20 + 7 * $0 }
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: nc + 1), count: nc + 1)
        for k in 0..<nc {
            let hit = Int(Double(instances[k]) * r[k] * 0.9)
            confusion[k][k] = hit
            confusion[(k + 1) % nc][k] = (instances[k] - hit) / 3
            confusion[nc][k] = instances[k] - hit - (instances[k] - hit) / 3
            confusion[k][nc] = 3 + k
        }
        let best = 400
        return Curves(names: names, confidence: grid, classes: Array(0..<nc), precision: precision, recall: recall, f1: f1,
                      precisionAll: mean(precision), recallAll: mean(recall), f1All: mean(f1), prRecall: grid, pr: pr,
                      prAll: mean(pr), instances: instances, ap50: ap, ap50to95: ap.map { $0 * 0.58 },
                      classPrecision: precision.map { $0[best] }, classRecall: recall.map { $0[best] },
                      bestConfidence: grid[best], confusion: confusion)
    }
}

/// SplitMix64 with a Box–Muller normal: the fixture's only randomness, seeded.
struct Generator {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }

    mutating func normal(_ sd: Double) -> Double {
        sd * (-2 * log(max(1e-12, next()))).squareRoot() * cos(2 * Double.pi * next())
    }
}
