import Foundation
import Results

/// Every heading, label and sentence of the reports, in English and in Chinese.
///
/// One struct per language keeps the two in step: adding a field forces both translations.
public struct Strings: Sendable {
    public var language: String
    public var report: String
    public var contents: String
    public var recommendation: String
    public var noRecommendation: String
    public var noRecommendationFile: String
    public var rule: String
    public var seedNoise: String
    public var comparisonTable: String
    public var comparisonCharts: String
    public var networks: String
    public var cells: String
    public var studyFile: String
    public var manifest: String
    public var reproduce: String
    public var page: String
    public var cell: String, seeds: String
    public var params: String, gflops: String, latency: String
    /// The ONNX file's size column, and the title page's line on the recommended cell's ONNX file.
    public var onnxSize: String, deploy: String, exportAgain: String
    public var precision: String, recall: String, map50: String, map5095: String, f1: String
    public var rank: String, pareto: String
    public var unfinished: String, notStarted: String, failed: String
    public var epoch: String, confidence: String
    public var loss: String, lossAxis: String, valLoss: String, train: String, val: String
    public var box: String, obj: String, cls: String
    public var lossesTitle: String
    public var f1Confidence: String, pConfidence: String, rConfidence: String
    public var prCurve: String, allClasses: String
    public var confusion: String, trueClass: String, predicted: String, background: String
    public var paretoFront: String, recommended: String
    public var metricsOverEpochs: String, finalMetrics: String, accuracyCost: String
    public var bandNote: String
    public var sortHint: String
    public var intervalNote: String
    public var machine: String, code: String, dataset: String, started: String, finishedAt: String
    public var curvesMissing: String
    /// The gallery's legend: the dashed ground-truth boxes.
    public var groundTruth: String
    /// After the rule when the study ranks by latency: a measurement of the machine, not of the study.
    public var latencyCaveat: String
    /// Under the table: how the latency column was measured (image size, runtime, threads, machine).
    public var latencyBy: String
    /// Beside the recommendation: the backbones that started from pretrained weights (%@: the list,
    /// each with its file and SHA-256), when some trained from scratch, and when none did.
    public var startedFrom: String
    public var allStartedFrom: String
    /// The manifest row of a backbone's pretrained weights file.
    public var pretrained: String
    /// "per M params", "per GFLOP", "per ms".
    public var perCost: [String: String]
    /// The same in a sentence: "per million parameters", "per GFLOP", "per ms".
    public var perCostInWords: [String: String]
    /// The unit after a cost value in a sentence ("1.98 M parameters"), for params, gflops, latency.
    public var costUnit: [String: String]
    /// The accuracy metric's name for map50_95, map50, f1.
    public var metricName: [String: String]
    /// The cost's name for params, gflops, latency.
    public var costName: [String: String]

    /// The strings for `language` ("zh" for Chinese, English otherwise).
    public static func forLanguage(_ language: String) -> Strings { language == "zh" ? .zh : .en }

    public func seedsDone(_ done: Int, of total: Int) -> String {
        language == "zh" ? "\(done)/\(total) 个种子" : "\(done)/\(total) seeds"
    }

    /// The gallery's title: whose detections, from which epoch, above which confidence.
    public func galleryTitle(cell: String, seed: UInt64, epoch: Int, confidence: Double) -> String {
        language == "zh"
            ? String(format: "%@ 在验证图像上的检测结果（%@，最佳轮次 %d 的权重，置信度 ≥ %.2f）", cell, shownSeed(seed), epoch, confidence)
            : String(format: "Detections of %@ on validation images (%@, weights of the best epoch %d, confidence ≥ %.2f)", cell, shownSeed(seed), epoch, confidence)
    }

    public func shownSeed(_ seed: UInt64) -> String { language == "zh" ? "种子 \(seed)" : "seed \(seed)" }

    public func missingCells(_ n: Int) -> String {
        language == "zh" ? "尚有 \(n) 个单元未完成，完成前不作推荐。" : "\(n) cell(s) not finished; no recommendation until they are."
    }

    /// "Use X: …" — the recommendation in one sentence; `cost` is params, gflops or latency.
    public func recommend(cell: String, metric: String, value: String, cost: String, costValue: String, ratio: String) -> String {
        let per = perCostInWords[cost] ?? cost, unit = costUnit[cost] ?? cost
        return language == "zh"
            ? "推荐使用 \(cell)：\(metric) 为 \(value)，成本为 \(costValue) \(unit)，\(per)的 \(metric) 为 \(ratio)。"
            : "Use \(cell): \(metric) \(value) at \(costValue) \(unit) — \(ratio) \(metric) \(per)."
    }

    /// Which leaders are within seed noise of the recommended cell; `comparisons` nil means one seed per cell.
    public func noise(chosen: String, comparisons: [Recommendation.SeedComparison]?) -> String {
        guard language == "zh" else { return Recommendation.noiseText(chosen: chosen, comparisons: comparisons) }
        guard let comparisons else { return "每个单元只有一个种子：种子噪声未知（将 repeats 设为 ≥ 2 即可测量）。" }
        guard !comparisons.isEmpty else { return "\(chosen) 是容差范围内唯一的单元。" }
        return comparisons.map { c in
            c.p >= 0.05
                ? String(format: "%@ 与 %@ 的差异在种子噪声之内（Welch t 检验 p = %.2f ≥ 0.05）。", chosen, c.cell, c.p)
                : String(format: "%@ 与 %@ 的差异超出种子噪声（Welch t 检验 p = %.3f < 0.05）。", chosen, c.cell, c.p)
        }.joined()
    }

    /// The rule in words, from the recommendation's metric, cost and tolerance.
    public func ruleText(metric: String, cost: String, tolerance: String) -> String {
        language == "zh"
            ? "在 \(metric) 与最佳值相差不超过 \(tolerance) 的单元中，选择每单位\(cost)精度最高者；帕累托前沿上的单元没有在精度和成本上同时被超越。"
            : "Among the cells whose \(metric) is within \(tolerance) of the best, the one with the highest \(metric) per unit of \(cost); cells on the Pareto front are beaten by no other on both accuracy and cost."
    }

    public static let en = Strings(
        language: "en", report: "Backbone study report", contents: "Contents", recommendation: "Recommendation",
        noRecommendation: "No recommendation yet.", noRecommendationFile: "recommendation.json has not been written yet.",
        rule: "Rule", seedNoise: "Seed noise",
        comparisonTable: "Comparison table", comparisonCharts: "Comparison charts", networks: "Per network", cells: "Per cell",
        studyFile: "Study file", manifest: "Manifest", reproduce: "Reproduce", page: "Page",
        cell: "cell", seeds: "seeds",
        params: "params (M)", gflops: "GFLOPs", latency: "latency (ms)",
        onnxSize: "ONNX (MB)", deploy: "Deploy", exportAgain: "made again with",
        precision: "precision", recall: "recall", map50: "mAP@0.5", map5095: "mAP@0.5:0.95", f1: "F1",
        rank: "rank", pareto: "Pareto",
        unfinished: "unfinished", notStarted: "not started", failed: "failed",
        epoch: "epoch", confidence: "confidence",
        loss: "loss (box + obj + cls)", lossAxis: "loss", valLoss: "val loss (box + obj + cls)", train: "train", val: "val",
        box: "box", obj: "obj", cls: "cls", lossesTitle: "losses, train and val",
        f1Confidence: "F1 vs confidence", pConfidence: "precision vs confidence", rConfidence: "recall vs confidence",
        prCurve: "precision–recall", allClasses: "all classes",
        confusion: "confusion matrix, normalised", trueClass: "true", predicted: "predicted",
        background: "background", paretoFront: "Pareto front", recommended: "recommended",
        metricsOverEpochs: "Metrics per epoch, every cell", finalMetrics: "Best-epoch metrics (error bars: 95 % t-interval over seeds, cut at 0 and 1)",
        accuracyCost: "Accuracy against cost",
        bandNote: "Lines: mean over finished seeds; bands: 95 % t-interval over seeds, cut to the values the metric can take.",
        sortHint: "Click a column head to sort.", intervalNote: "± : 95 % t-interval over seeds.",
        machine: "machine", code: "code", dataset: "dataset", started: "started", finishedAt: "finished",
        curvesMissing: "no finished run yet: curves appear when one finishes",
        groundTruth: "dashed: the labelled boxes",
        latencyCaveat: "The ranking rests on batch-1 latency, measured as the note under the table says: it changes with the machine and the moment, unlike the other figures.",
        latencyBy: "Latency: batch 1 at %d px, median of the timed runs, %@, %d thread(s), on %@.",
        startedFrom: "Started from pretrained weights: %@; every other backbone trained from scratch.",
        allStartedFrom: "Every backbone started from pretrained weights: %@.",
        pretrained: "pretrained",
        perCost: ["params": "per M params", "gflops": "per GFLOP", "latency": "per ms"],
        perCostInWords: ["params": "per million parameters", "gflops": "per GFLOP", "latency": "per ms"],
        costUnit: ["params": "M parameters", "gflops": "GFLOPs", "latency": "ms of batch-1 latency"],
        metricName: ["map50_95": "mAP@0.5:0.95", "map50": "mAP@0.5", "f1": "F1"],
        costName: ["params": "parameters (M)", "gflops": "GFLOPs", "latency": "latency (ms)"]
    )

    public static let zh = Strings(
        language: "zh", report: "骨干网络对比研究报告", contents: "目录", recommendation: "推荐",
        noRecommendation: "暂无推荐。", noRecommendationFile: "尚未生成 recommendation.json。",
        rule: "规则", seedNoise: "种子噪声",
        comparisonTable: "对比表", comparisonCharts: "对比图", networks: "按网络", cells: "按单元",
        studyFile: "研究文件", manifest: "清单", reproduce: "复现", page: "第",
        cell: "单元", seeds: "种子",
        params: "参数量 (M)", gflops: "GFLOPs", latency: "延迟 (ms)",
        onnxSize: "ONNX (MB)", deploy: "部署", exportAgain: "重新生成：",
        precision: "精确率", recall: "召回率", map50: "mAP@0.5", map5095: "mAP@0.5:0.95", f1: "F1",
        rank: "排名", pareto: "帕累托",
        unfinished: "未完成", notStarted: "未开始", failed: "失败",
        epoch: "轮次", confidence: "置信度",
        loss: "损失 (box + obj + cls)", lossAxis: "损失", valLoss: "验证损失 (box + obj + cls)", train: "训练", val: "验证",
        box: "box", obj: "obj", cls: "cls", lossesTitle: "损失（训练与验证）",
        f1Confidence: "F1–置信度", pConfidence: "精确率–置信度", rConfidence: "召回率–置信度",
        prCurve: "精确率–召回率", allClasses: "全部类别",
        confusion: "混淆矩阵（归一化）", trueClass: "真实", predicted: "预测",
        background: "背景", paretoFront: "帕累托前沿", recommended: "推荐",
        metricsOverEpochs: "各单元逐轮指标", finalMetrics: "最佳轮次指标（误差线：种子间 95 % t 区间，截于 0 与 1）",
        accuracyCost: "精度与成本",
        bandNote: "线：已完成种子的均值；带：种子间 95 % t 区间，截于指标的取值范围。",
        sortHint: "点击列标题排序。", intervalNote: "±：种子间 95 % t 区间。",
        machine: "机器", code: "代码", dataset: "数据集", started: "开始", finishedAt: "结束",
        curvesMissing: "尚无完成的运行：完成后显示曲线",
        groundTruth: "虚线：标注框",
        latencyCaveat: "此排名依据批大小为 1 的延迟（测量方式见表下注）：它随机器与测量时刻而变，不同于其他数字。",
        latencyBy: "延迟：批大小 1，%d px，计时运行的中位数，%@，%d 线程，测于 %@。",
        startedFrom: "以下骨干网络从预训练权重开始训练：%@；其余骨干网络从头训练。",
        allStartedFrom: "所有骨干网络均从预训练权重开始训练：%@。",
        pretrained: "预训练权重",
        perCost: ["params": "每百万参数", "gflops": "每 GFLOP", "latency": "每毫秒"],
        perCostInWords: ["params": "每百万参数", "gflops": "每 GFLOP", "latency": "每毫秒"],
        costUnit: ["params": "M 参数", "gflops": "GFLOPs", "latency": "毫秒（批大小 1 的延迟）"],
        metricName: ["map50_95": "mAP@0.5:0.95", "map50": "mAP@0.5", "f1": "F1"],
        costName: ["params": "参数量 (M)", "gflops": "GFLOPs", "latency": "延迟 (ms)"]
    )
}
