import Detection
import Engine
import Foundation
import Study
import Zoo

/// `studyctl run --dry-run`: every cell with its size and an estimated time from a measured step.
struct DryRun {
    var study: StudyFile

    func print() throws {
        let (trainImages, valImages) = imageCounts()
        Swift.print("Study \(study.name): \(study.cells.count) cells, \(study.epochs) epochs, batch \(study.batch); \(trainImages) train and \(valImages) val images\(trainImages == 0 ? " (unknown until the dataset is read)" : "")")
        Swift.print(pad("cell", 44) + pad("params", 11) + pad("GFLOPs", 9) + pad("s/step", 9) + pad("estimate", 11))
        var total = 0.0
        var measured: [String: (params: Int, gflops: Double, step: Double, forward: Double)] = [:]
        for cell in study.cells {
            let key = "\(cell.backbone)__\(cell.neck)__\(cell.imageSize)"
            if measured[key] == nil { measured[key] = measure(cell) }
            let m = measured[key]!
            let cellSeconds = seconds(step: m.step, forward: m.forward, trainImages: trainImages, valImages: valImages)
            total += cellSeconds
            Swift.print(pad(cell.name, 44) + pad(String(format: "%.2fM", Double(m.params) / 1e6), 11)
                        + pad(String(format: "%.3f", m.gflops), 9) + pad(String(format: "%.3f", m.step), 9) + pad(clock(cellSeconds), 11))
        }
        Swift.print(String(format: "Estimated total: %@ on %d threads (training steps measured now on random images; validation and data loading add a little)",
                           clock(total), ThreadPool.shared.threadCount))
    }

    /// Seconds of one cell: every epoch's training steps and its validation forward passes.
    func seconds(step: Double, forward: Double, trainImages: Int, valImages: Int) -> Double {
        let steps = Double((max(trainImages, 1) + study.batch - 1) / study.batch) * Double(study.epochs)
        return steps * step + Double(study.epochs) * Double(valImages) * forward / Double(study.batch)
    }

    /// Seconds to train `cells` with `jobs` at once on `threads` threads: each distinct model's
    /// step measured now on its share of the threads, the cells spread evenly over the jobs.
    func estimate(_ cells: [Cell], jobs: Int, threads: Int) -> Double {
        let (trainImages, valImages) = imageCounts()
        var measured: [String: (step: Double, forward: Double)] = [:]
        var total = 0.0
        ThreadPool.using(ThreadPool(threads: max(1, threads / max(jobs, 1)))) {
            for cell in cells {
                let key = "\(cell.backbone)__\(cell.neck)__\(cell.imageSize)"
                if measured[key] == nil { let m = measure(cell); measured[key] = (m.step, m.forward) }
                let m = measured[key]!
                total += seconds(step: m.step, forward: m.forward, trainImages: trainImages, valImages: valImages)
            }
        }
        return total / Double(min(max(jobs, 1), max(cells.count, 1)))
    }

    /// Parameters, GFLOPs and the median seconds of a training step and of a forward pass. The
    /// step is the trainer's: forward, YOLOv5's loss on three boxes per image, backward, and (as
    /// often as the nominal batch asks) the optimiser step and the EMA update.
    func measure(_ cell: Cell) -> (params: Int, gflops: Double, step: Double, forward: Double) {
        let spec = DetectorSpec(backbone: cell.backbone, neck: cell.neck, classes: classes())
        let model = Detector(spec: spec, seed: 0)
        let summary = ModelSummary(model, imageSize: cell.imageSize)
        _ = model.train()
        var rng = Philox(seed: 1)
        let s = cell.imageSize
        let x = Tensor(rng.uniform(study.batch * 3 * s * s), shape: [study.batch, 3, s, s])
        let targets = (0..<study.batch).flatMap { n in
            (0..<3).map { k in TargetBox(image: n, classID: k % spec.classes, cx: 0.25 + 0.25 * Float(k), cy: 0.5, w: 0.3, h: 0.4) }
        }
        let loss = YOLOv5Loss(hyp: .scaled(box: 0.05, obj: 1, cls: 0.5, levels: 3, classes: spec.classes, imageSize: s,
                                           clsPositiveWeight: 1, objPositiveWeight: 1, anchorT: 4, labelSmoothing: 0),
                              anchors: model.detect.gridAnchors, classes: spec.classes)
        let group = ParameterGroup(model.parameters(), lr: 0.001, momentum: 0.9)
        let optimizer: Optimizer = study.optimizer == .sgd ? SGD([group], nesterov: true) : AdamW([group])
        let state = model.stateDict(), ema = ModelEMA(state)
        let stepEvery = Double(max(1, Int((Double(study.nominalBatch) / Double(study.batch)).rounded())))
        var steps: [Double] = [], forwards: [Double] = []
        for _ in 0..<3 {
            let t0 = Date()
            let out = model(x)
            let t1 = Date()
            loss(out, targets).total.backward()
            let t2 = Date()
            optimizer.step()
            optimizer.zeroGrad()
            ema.update(from: state)
            steps.append(t2.timeIntervalSince(t0) + Date().timeIntervalSince(t2) / stepEvery)
            forwards.append(t1.timeIntervalSince(t0))
        }
        return (summary.parameters, summary.gflops, steps.sorted()[1], forwards.sorted()[1])
    }

    func classes() -> Int {
        if case .yaml(let path) = study.data, let data = try? DataYAML.load(path) { return data.names.count }
        if case .shapes(_, _, _, _, let preset) = study.data { return preset.names.count }
        return ShapesDataset.names.count
    }

    func imageCounts() -> (Int, Int) {
        switch study.data {
        case .shapes(let train, let val, _, _, _): return (train, val)
        case .yaml(let path):
            guard let data = try? DataYAML.load(path) else { return (0, 0) }
            let count = { (split: String) in (try? DatasetSplit.images(data.splits[split] ?? [], split: split, yamlFile: path).count) ?? 0 }
            return (count("train"), count("val"))
        }
    }

    func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s + " " : s + String(repeating: " ", count: w - s.count) }
}
