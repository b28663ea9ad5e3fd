import Detection
import Engine
import Foundation
import Results
import Zoo

/// Trains one detector as YOLOv5 v7.0's `train.py` does: SGD (Nesterov) or AdamW over three
/// parameter groups, gradient accumulation to a nominal batch of 64, warm-up, a per-epoch linear or
/// cosine schedule, gradient clipping at 10, EMA weights validated every epoch, early stopping,
/// and a checkpoint after every epoch from which a killed run resumes bit for bit.
public final class Trainer {
    public let options: TrainingOptions
    public let trainStore: ImageStore
    public let validator: Validator
    public let datasetFingerprint: String
    public var listeners: [TrainingListener] = []
    /// Set from a signal handler: the trainer stops at the next batch boundary.
    nonisolated(unsafe) public static var interruptRequested = false

    public init(options: TrainingOptions, trainStore: ImageStore, validator: Validator, datasetFingerprint: String) {
        self.options = options
        self.trainStore = trainStore
        self.validator = validator
        self.datasetFingerprint = datasetFingerprint
    }

    func emit(_ event: TrainingEvent) { for listener in listeners { listener.handle(event) } }

    /// Runs from the checkpoint in `resume` (or from scratch) to the last epoch or an early stop;
    /// `timing` is what the run's earlier processes measured, to add to.
    // yolov5 v7.0 train.py train()
    public func run(resume: Checkpoint? = nil, timing prior: RunTiming? = nil) throws -> TrainedRun {
        let started = Date()
        let hyp = options.hyp
        let spec = options.spec
        let model = Detector(spec: spec, seed: options.seed)
        _ = model.train()
        let frozen = Freeze.apply(model, first: options.freeze)
        if frozen > 0 { emit(.message("freeze: the first \(options.freeze) layers (\(frozen) tensors) do not train")) }
        let n = trainStore.dataset.count
        let nb = (n + options.batch - 1) / options.batch
        let nbs = options.nominalBatch  // train.py: nbs = 64
        var accumulate = max(Int((Double(nbs) / Double(options.batch)).rounded(.toNearestOrEven)), 1)
        let weightDecay = hyp[.weightDecay] * Double(options.batch * accumulate) / Double(nbs)
        let groups = parameterGroups(model, lr: hyp[.lr0], momentum: hyp[.momentum], weightDecay: weightDecay)
        let optimizer: Optimizer = options.optimizer == .sgd ? SGD(groups, nesterov: true) : AdamW(groups)
        let schedule = LRSchedule(epochs: options.epochs, lrf: hyp[.lrf], cosine: options.cosLR)
        let warmupIterations = max(Int((hyp[.warmupEpochs] * Double(nb)).rounded(.toNearestOrEven)), options.minWarmupIterations)

        var startEpoch = 0, bestFitness = 0.0, bestEpoch = -1, lastOptStep = -1
        var stopper = (best: 0.0, epoch: 0)
        var rows: [EpochResult] = []
        var trainSeconds = 0.0, trainImages = 0, validationSeconds = 0.0
        // Nil when resuming a run whose earlier epochs were timed without them.
        var loaderSeconds: Double? = 0, dataWaitSeconds: Double? = 0
        var anchorMessage = ""
        var partial: Checkpoint.PartialEpoch?
        let ema: ModelEMA
        if let resume {
            try restore(resume, model: model, optimizer: optimizer)
            ema = ModelEMA(model.stateDict(), updates: resume.emaUpdates)
            for (name, tensor) in ema.states {
                guard let saved = resume.tensors["ema." + name], saved.count == tensor.count else {
                    throw CheckpointError(path: options.output, "checkpoint lacks ema.\(name)")
                }
                tensor.data.update(from: saved.data, count: tensor.count)
            }
            startEpoch = resume.partial?.epoch ?? resume.epoch + 1
            partial = resume.partial
            (bestFitness, bestEpoch) = (resume.bestFitness, resume.bestEpoch)
            stopper = (resume.stopperBestFitness, resume.stopperBestEpoch)
            lastOptStep = resume.lastOptimizerStep
            accumulate = resume.accumulate
            for (group, m) in zip(optimizer.groups, resume.momentum) { group.momentum = m }
            rows = resume.rows
            if let prior {
                (trainSeconds, trainImages, validationSeconds) = (prior.trainSeconds, prior.trainImages, prior.validationSeconds)
                (loaderSeconds, dataWaitSeconds) = (prior.loaderSeconds, prior.dataWaitSeconds)
            }
            anchorMessage = resume.autoAnchorMessage
            emit(.message(partial.map { "Resuming from \(options.output)/checkpoint in epoch \($0.epoch) at batch \($0.nextBatch) of \(nb)" }
                          ?? "Resuming from \(options.output)/checkpoint after epoch \(resume.epoch) of \(options.epochs)"))
        } else {
            if let weights = options.yolov5Weights {  // train.py --weights: intersect_dicts, then load_state_dict(strict=False)
                let loaded = try YOLOv5Weights.load(weights, into: model)
                emit(.message("Transferred \(loaded.transferred)/\(loaded.total) items from \(weights.file)"
                              + (loaded.reinitialised.isEmpty ? "" : "; Detect's output convolutions re-initialised for \(spec.classes) classes")))
            }
            if let pretrained = options.pretrained {  // train.py: the checkpoint's weights into the model it just built
                let loaded = try PretrainedWeights.load(pretrained, into: model.backbone, spec: spec.backbone)
                emit(.message("pretrained: \(loaded.tensors) trunk tensors from \(loaded.model) (\(pretrained.file), sha256 "
                              + "\(pretrained.sha256.prefix(12))…); \(loaded.ignoredHeadKeys) classifier-head tensors ignored"))
            }
            ema = ModelEMA(model.stateDict())  // train.py builds its ModelEMA before AutoAnchor and the fp16 rounding
            let report = AutoAnchor.check(trainStore.dataset, anchors: Detect.defaultAnchors, imageSize: options.imageSize,
                                          threshold: hyp[.anchorT], seed: options.seed)
            anchorMessage = report.message
            if report.recomputed { setAnchors(model, pixels: report.anchors) }
            roundToHalfPrecision(model.stateDict())
        }
        emit(.message(anchorMessage))
        emit(.message(String(format: "optimizer: %@(lr=%g) with parameter groups %d weight(decay=0.0), %d weight(decay=%g), %d bias",
                             options.optimizer.rawValue, hyp[.lr0], groups[2].params.count, groups[1].params.count,
                             weightDecay, groups[0].params.count)))

        let loss = YOLOv5Loss(hyp: scaledLossHyp(), anchors: model.detect.gridAnchors, classes: spec.classes)
        let evalModel = Detector(spec: spec, seed: options.seed)
        let evalState = Dictionary(uniqueKeysWithValues: evalModel.stateDict().map { ($0.name, $0.tensor) })
        for (name, tensor) in ema.states { evalState[name]!.data.update(from: tensor.data, count: tensor.count) }
        // The model's tensors never change identity: walk the module tree once, not every step.
        let modelState = model.stateDict(), parameters = model.parameters()
        var reason = "finished \(options.epochs) epochs"
        var epoch = startEpoch
        // The whole state of training, to continue from bit for bit: after an epoch, or (`inside`)
        // right after an optimiser step within one.
        func checkpoint(inside: Checkpoint.PartialEpoch?) -> Checkpoint {
            var tensors: [String: Tensor] = [:]
            for (name, t) in modelState { tensors["model." + name] = t }
            for (name, t) in ema.states { tensors["ema." + name] = t }
            for (name, t) in optimizer.state { tensors["optimizer." + name] = t }
            return Checkpoint(
                identity: options.identity(datasetFingerprint: datasetFingerprint), runDescription: options.description,
                epoch: rows.last?.epoch ?? -1, bestFitness: bestFitness, bestEpoch: bestEpoch, stopperBestFitness: stopper.best,
                stopperBestEpoch: stopper.epoch, emaUpdates: ema.updates, lastOptimizerStep: lastOptStep,
                accumulate: accumulate, momentum: optimizer.groups.map(\.momentum), rows: rows,
                autoAnchorMessage: anchorMessage, partial: inside, tensors: tensors)
        }
        func timing() -> RunTiming {
            RunTiming(threads: ThreadPool.shared.threadCount, epochs: rows.count, trainSeconds: trainSeconds, trainImages: trainImages,
                      validationSeconds: validationSeconds, wallSeconds: (prior?.wallSeconds ?? 0) + Date().timeIntervalSince(started),
                      loaderSeconds: loaderSeconds, dataWaitSeconds: dataWaitSeconds)
        }
        while epoch < options.epochs {
            _ = model.train()
            emit(.epochStarted(epoch: epoch, epochs: options.epochs, batches: nb))
            let resumed = partial
            partial = nil
            let loader = TrainLoader(store: trainStore, settings: hyp.augment, size: options.imageSize, batchSize: options.batch,
                                     seed: options.seed, epoch: epoch, startBatch: resumed?.nextBatch ?? 0, workers: options.workers)
            defer { loader.stop() }
            var mean = resumed.map { (box: $0.box, obj: $0.obj, cls: $0.cls) } ?? (box: 0.0, obj: 0.0, cls: 0.0)
            optimizer.zeroGrad()
            let epochStart = Date()
            var images = resumed?.images ?? 0
            var timedImages = 0
            func addLoaderTimes() {
                loaderSeconds = loaderSeconds.map { $0 + loader.buildSeconds }
                dataWaitSeconds = dataWaitSeconds.map { $0 + loader.waitSeconds }
            }
            for i in (resumed?.nextBatch ?? 0)..<nb {
                guard let batch = loader.nextBatch() else { break }
                let ni = i + nb * epoch
                for (j, group) in optimizer.groups.enumerated() {
                    group.lr = schedule.learningRate(group: j, iteration: ni, epoch: epoch, batchesPerEpoch: nb, warmupIterations: warmupIterations,
                                                     lr0: hyp[.lr0], warmupBiasLR: hyp[.warmupBiasLR])
                }
                if ni <= warmupIterations {
                    let x = Double(ni), x1 = Double(warmupIterations)
                    accumulate = max(1, Int(interp(x, x1, 1, Double(nbs) / Double(options.batch)).rounded(.toNearestOrEven)))
                    for group in optimizer.groups { group.momentum = interp(x, x1, hyp[.warmupMomentum], hyp[.momentum]) }
                }
                let predictions = model(batch.images)
                let value = loss(predictions, batch.targets)
                value.total.backward()
                if ni - lastOptStep >= accumulate {
                    clipGradientNorm(parameters, maxNorm: 10)
                    optimizer.step()
                    optimizer.zeroGrad()
                    ema.update(from: modelState)
                    lastOptStep = ni
                }
                let k = Double(i)
                mean = ((mean.box * k + Double(value.box)) / (k + 1), (mean.obj * k + Double(value.obj)) / (k + 1),
                        (mean.cls * k + Double(value.cls)) / (k + 1))
                images += batch.indices.count
                timedImages += batch.indices.count
                emit(.batchEnded(BatchProgress(
                    epoch: epoch, epochs: options.epochs, batch: i + 1, batches: nb, box: mean.box, obj: mean.obj,
                    cls: mean.cls, instances: batch.targets.count, size: options.imageSize,
                    seconds: Date().timeIntervalSince(epochStart), images: timedImages, residentBytes: residentBytes())))
                // Asked to stop: at the next optimiser step (no gradient pending), save and stop.
                if Trainer.interruptRequested && lastOptStep == ni && i + 1 < nb {
                    trainSeconds += Date().timeIntervalSince(epochStart)
                    trainImages += timedImages
                    addLoaderTimes()
                    let inside = Checkpoint.PartialEpoch(epoch: epoch, nextBatch: i + 1, box: mean.box, obj: mean.obj, cls: mean.cls,
                                                         images: images)
                    emit(.stopped(checkpoint: checkpoint(inside: inside), timing: timing()))
                    throw TrainingInterrupted(epoch: epoch, batch: i + 1, batches: nb, output: options.output)
                }
            }
            let epochSeconds = Date().timeIntervalSince(epochStart)
            trainSeconds += epochSeconds
            trainImages += timedImages
            addLoaderTimes()
            let lrs = optimizer.groups.map(\.lr)

            for (name, tensor) in ema.states { evalState[name]!.data.update(from: tensor.data, count: tensor.count) }
            let out = validator.run(evalModel, loss: loss) { done, total in self.emit(.validationProgress(done: done, total: total)) }
            validationSeconds += out.seconds
            let m = out.metrics
            let row = EpochResult(epoch: epoch, trainBox: mean.box, trainObj: mean.obj, trainCls: mean.cls,
                                  precision: m.precision, recall: m.recall, map50: m.map50, map50to95: m.map50to95,
                                  valBox: out.losses.box, valObj: out.losses.obj, valCls: out.losses.cls,
                                  lr0: lrs[0], lr1: lrs[1], lr2: lrs[2])
            rows.append(row)
            let fi = row.fitness
            // utils/torch_utils.py EarlyStopping: ties count as improvements
            if fi >= stopper.best { stopper = (fi, epoch) }
            let stop = epoch - stopper.epoch >= (options.patience > 0 ? options.patience : Int.max)
            let isBest = fi > bestFitness || bestEpoch < 0
            if isBest { (bestFitness, bestEpoch) = (fi, epoch) }
            emit(.epochEnded(EpochReport(row: row, metrics: m, names: trainStore.dataset.names, fitness: fi, isBest: isBest,
                                         trainSeconds: epochSeconds, validationSeconds: out.seconds, trainImages: timedImages,
                                         weights: evalModel, checkpoint: checkpoint(inside: nil), timing: timing(), rows: rows,
                                         gallery: isBest ? validator.gallerySamples(out) : [])))
            // buffers of sizes that vary from step to step (matched targets) would pile up in the pool
            BufferPool.shared.drain()
            epoch += 1
            if stop {
                reason = "stopped early: no improvement in the last \(options.patience) epochs, best epoch \(stopper.epoch)"
                break
            }
            if Trainer.interruptRequested && epoch < options.epochs {
                throw TrainingInterrupted(epoch: epoch - 1, batch: nb, batches: nb, output: options.output)
            }
        }
        let latency = Latency.fusedBatchOne(evalModel, imageSize: options.imageSize)
        let result = TrainedRun(summary: makeSummary(model: evalModel, rows: rows, bestEpoch: bestEpoch), timing: timing(), latency: latency)
        emit(.finished(result, reason: reason))
        return result
    }

    /// YOLOv5's three groups (utils/torch_utils.py smart_optimizer), in its order: biases (no
    /// decay), weights with decay, BatchNorm weights (no decay).
    func parameterGroups(_ model: Detector, lr: Double, momentum: Double, weightDecay: Double) -> [ParameterGroup] {
        let norms = Set(model.namedModules().filter { $0.module is BatchNorm2d }.map { $0.path + ".weight" })
        var biases: [Tensor] = [], decayed: [Tensor] = [], normWeights: [Tensor] = []
        for (name, tensor) in model.namedParameters() {
            if name.hasSuffix(".bias") || name == "bias" { biases.append(tensor) } else if norms.contains(name) { normWeights.append(tensor) } else { decayed.append(tensor) }
        }
        return [ParameterGroup(biases, lr: lr, momentum: momentum),
                ParameterGroup(decayed, lr: lr, momentum: momentum, weightDecay: weightDecay),
                ParameterGroup(normWeights, lr: lr, momentum: momentum)]
    }

    func scaledLossHyp() -> LossHyperparameters { options.hyp.lossGains(classes: options.spec.classes, imageSize: options.imageSize) }

    /// Sets the Detect anchors from pixels (per level [w, h] × 3).
    func setAnchors(_ model: Detector, pixels: [[Float]]) {
        for (level, values) in pixels.enumerated() {
            for (k, v) in values.enumerated() { model.detect.anchors.data[level * 6 + k] = v / Float(Detect.strides[level]) }
        }
    }

    func restore(_ checkpoint: Checkpoint, model: Detector, optimizer: Optimizer) throws {
        for (name, tensor) in model.stateDict() {
            guard let saved = checkpoint.tensors["model." + name], saved.shape == tensor.shape else {
                throw CheckpointError(path: options.output, "checkpoint lacks model.\(name) of shape \(tensor.shape)")
            }
            tensor.data.update(from: saved.data, count: tensor.count)
        }
        for (name, tensor) in optimizer.state {
            guard let saved = checkpoint.tensors["optimizer." + name], saved.count == tensor.count else {
                throw CheckpointError(path: options.output, "checkpoint lacks optimizer.\(name)")
            }
            tensor.data.update(from: saved.data, count: tensor.count)
        }
    }

    func makeSummary(model: Detector, rows: [EpochResult], bestEpoch: Int) -> RunSummary {
        let best = rows.first { $0.epoch == bestEpoch } ?? rows.last!
        let summary = ModelSummary(Detector(spec: options.spec, seed: options.seed), imageSize: options.imageSize)
        var hypValues: [String: Double] = [:]
        for key in Hyperparameters.Key.allCases { hypValues[key.rawValue] = options.hyp[key] }
        return RunSummary(
            backbone: options.spec.backbone.description, neck: options.spec.neck.description, classes: options.spec.classes,
            imageSize: options.imageSize, seed: options.seed, epochs: options.epochs, epochsRun: rows.count,
            batch: options.batch, parameters: summary.parameters, gflops: summary.gflops,
            bestEpoch: best.epoch, best: best, final: rows.last!, datasetFingerprint: datasetFingerprint,
            anchors: model.detect.gridAnchors.enumerated().map { l, a in a.map { Double($0) * Double(Detect.strides[l]) } },
            hyp: hypValues, optimizer: options.optimizer.rawValue, cosLR: options.cosLR, version: CodeVersion.string)
    }
}

/// What a finished run produced: its results, and the measurements of the machine that trained it.
public struct TrainedRun: Sendable {
    public var summary: RunSummary
    public var timing: RunTiming
    public var latency: LatencyMeasurement
}

/// Ctrl-C or SIGTERM during training: the run is saved where it stopped (after batch `batch` of
/// `epoch`, right after an optimiser step, or at the end of the epoch).
public struct TrainingInterrupted: Error, CustomStringConvertible {
    public var epoch: Int
    public var batch: Int
    public var batches: Int
    public var output: String
    /// Where it stopped, in words.
    public var place: String { "stopped in epoch \(epoch) after batch \(batch) of \(batches), saved there" }
    public var description: String { "\(place) — run the same command again (or add --resume) to continue" }
}

/// This process's resident memory in bytes (/proc/self/statm).
func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}
