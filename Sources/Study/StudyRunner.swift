import Detection
import Engine
import Export
import Foundation
import Results
import Training
import Zoo

/// Runs a study: every cell of the grid trained into its own run folder (finished cells skipped,
/// an interrupted cell resumed from its checkpoint) by an executor, the manifest kept up to date,
/// and the recommendation written at the end. The same study file gives the same files.
public final class StudyRunner {
    public let study: StudyFile
    public let text: String
    public let folder: StudyLayout
    /// Threads per cell and cells at once, as the manifest records them.
    public let threads: Int
    public let jobs: Int
    public let command: String
    /// The folder the study file is in, where its relative paths start.
    public let studyFolder: String
    public let listener: StudyListener
    let manifest: ManifestStore
    private let stateLock = NSLock()
    private var data: StudyData?

    public init(study: StudyFile, text: String, studyFolder: String, folder: StudyLayout, threads: Int, jobs: Int, command: String,
                listener: StudyListener) {
        (self.study, self.text, self.studyFolder, self.folder, self.threads, self.jobs, self.command, self.listener) =
            (study, text, studyFolder, folder, threads, jobs, command, listener)
        manifest = ManifestStore(folder)
    }

    /// The data the cells train on, read once, and how the manifest describes it.
    struct StudyData {
        var data: TrainingData
        var description: String
        /// Each pretrained backbone's weights file, found, hashed and checked against its trunk.
        var pretrained: [String: PretrainedWeights.Source] = [:]
    }

    /// Trains every unfinished cell with `executor` and returns the recommendation over what is
    /// finished; nil when the executor left cells training elsewhere.
    public func run(fresh: Bool, executor: CellExecutor, executorName: String = "local") throws -> Recommendation? {
        try checkReuse(fresh: fresh)
        if fresh { try folder.clear() }
        let data = try prepare()
        let cells = study.cells
        try writeManifest(data: data, cells: cells, executor: executorName)
        var pending: [PendingCell] = []
        for (i, cell) in cells.enumerated() {
            if FileManager.default.fileExists(atPath: folder.run(cell.runName).summary) {
                try exportONNX(cell)  // a cell finished before [export] asked for it
                listener.handle(.cellSkipped(index: i + 1, total: cells.count, cell: cell))
            } else {
                pending.append(PendingCell(index: i + 1, cell: cell))
            }
        }
        try executor.execute(pending, for: self)
        guard executor.waitsForCells else { return nil }
        let recommendation = recommend()
        do {
            try ResultFiles.writeJSON(recommendation, to: folder.recommendation)
            if recommendation.missing.isEmpty {
                try manifest.update { $0?.finished = ISO8601DateFormatter().string(from: Date()) }
            }
        } catch {
            throw StudyRunFailure("\(error)")
        }
        listener.handle(.finished(recommendation))
        return recommendation
    }

    /// Trains one cell, as one task of a cluster array does: no lock on the study folder and no
    /// recommendation (other cells may be training at the same time), only this cell's run folder
    /// and its line of the manifest.
    public func runOne(_ name: String) throws -> RunSummary {
        guard let cell = study.cells.first(where: { $0.name == name }) else {
            let hint = nearestName(name, among: study.cells.map(\.name)).map { " — did you mean \($0)?" } ?? ""
            throw StudyFileError("--cell \(name): no such cell in the study\(hint) (`studyctl run --dry-run` lists them)")
        }
        try checkReuse(fresh: false)
        let data = try prepare()
        if manifest.read() == nil { try writeManifest(data: data, cells: study.cells, executor: "local") }
        let index = study.cells.firstIndex(of: cell)! + 1
        listener.handle(.cellStarted(index: index, total: study.cells.count, cell: cell, etaSeconds: nil))
        do {
            let summary = try runCell(cell)
            let timing = folder.run(cell.runName).readTiming()
            setState(cell, .done, wall: timing?.wallSeconds)
            listener.handle(.cellFinished(index: index, total: study.cells.count, cell: cell, summary: summary, timing: timing))
            return summary
        } catch {
            setState(cell, error is TrainingInterrupted ? .pending : .failed, wall: nil, failure: error is TrainingInterrupted ? nil : "\(error)")
            throw error
        }
    }

    /// Refuses a folder whose finished runs used other data or another recipe.
    func checkReuse(fresh: Bool) throws {
        let conflicts = fresh ? [] : folder.conflicts(with: study, text: text, studyFolder: studyFolder)
        guard conflicts.isEmpty else {
            throw StudyFileError("\(folder.path) holds results trained with other settings (\(conflicts.joined(separator: ", "))); run with --fresh to delete them and start over, or choose another --output")
        }
    }

    /// The dataset read (the built-in one generated first), then the study file copied in: a
    /// dataset that cannot be used leaves nothing behind.
    func prepare() throws -> StudyData {
        if let data { return data }
        let made = try loadData()
        do {
            try FileManager.default.createDirectory(atPath: folder.runs, withIntermediateDirectories: true)
            if (try? String(contentsOfFile: folder.studyCopy, encoding: .utf8)) != text {
                try ResultFiles.writeAtomically(Data(text.utf8), to: folder.studyCopy)
            }
        } catch {
            throw StudyRunFailure("\(folder.path): cannot write: \(error)")
        }
        data = made
        return made
    }

    /// The training images and validator at `imageSize`, decoded into RAM once for every cell.
    public func stores(imageSize: Int) throws -> (train: ImageStore, validator: Validator) {
        let data = try prepare()
        do {
            return try data.data.stores(imageSize: imageSize, cache: .auto, validationBatch: study.batch * 2)
        } catch {
            throw StudyFileError("\(error)")
        }
    }

    /// Trains one cell into runs/<cell>, resuming its checkpoint if it has one.
    public func runCell(_ cell: Cell) throws -> RunSummary {
        let data = try prepare()
        _ = try stores(imageSize: cell.imageSize)
        let spec = DetectorSpec(backbone: cell.backbone, neck: cell.neck, classes: data.data.train.names.count)
        let layout = folder.run(cell.runName)
        var options = TrainingOptions(spec: spec, output: layout.path)
        (options.epochs, options.batch, options.imageSize, options.seed) = (study.epochs, study.batch, cell.imageSize, cell.seed)
        options.nominalBatch = study.nominalBatch
        options.minWarmupIterations = study.minWarmupIterations
        (options.hyp, options.cosLR, options.patience, options.optimizer) = (study.hyp, study.cosLR, study.patience, study.optimizer)
        options.pretrained = data.pretrained[cell.backbone.description]
        options.freeze = study.freeze
        let run = TrainingRun(options: options, data: data.data)
        let summary: RunSummary
        switch try run.run(listeners: listener.trainingListeners(for: cell, folder: layout), starting: { _ in setState(cell, .running, wall: nil) }) {
        case .alreadyFinished(let s): summary = s
        case .trained(let result): summary = result.summary
        }
        try exportONNX(cell)
        return summary
    }

    /// `[export] onnx`: the finished cell's best weights as weights/best.onnx at its image size,
    /// unless that file is already there.
    func exportONNX(_ cell: Cell) throws {
        let run = folder.run(cell.runName)
        let fm = FileManager.default
        guard study.exportONNX, fm.fileExists(atPath: run.summary), !fm.fileExists(atPath: run.bestONNX) else { return }
        do {
            _ = try WeightsExport.onnx(run.bestWeights, imageSize: cell.imageSize, to: run.bestONNX)
        } catch {
            throw StudyRunFailure("\(run.path): the ONNX export of the best weights failed: \(error)")
        }
    }

    /// Reads (or first generates) the dataset's splits.
    func loadData() throws -> StudyData {
        let yaml: String
        let description: String
        switch study.data {
        case .yaml(let path):
            yaml = path
            description = path
        case .shapes(let train, let val, let size, let seed, let preset):
            yaml = folder.dataset + "/data.yaml"
            description = "built-in shapes (\(preset.rawValue)): \(train) train, \(val) val, \(size) px, seed \(seed)"
            if !FileManager.default.fileExists(atPath: yaml) {
                listener.handle(.message("Generating the built-in dataset (\(description)) in \(folder.dataset)"))
                try ShapesDataset.write(to: folder.dataset, train: train, val: val, imageSize: size, seed: seed, preset: preset)
            }
        }
        do {
            let data = try TrainingData(try DataYAML.load(yaml)) { [listener] in listener.handle(.message($0)) }
            return StudyData(data: data, description: description, pretrained: try pretrainedSources())
        } catch {
            throw StudyFileError("\(error)")
        }
    }

    /// `[train] pretrained` resolved: "imagenet" found in the library caches, each file hashed and
    /// loaded once into a throwaway trunk, so a missing or unfit file stops the study before it trains.
    func pretrainedSources() throws(PretrainedLoadError) -> [String: PretrainedWeights.Source] {
        var sources: [String: PretrainedWeights.Source] = [:]
        for backbone in study.backbones {
            guard let choice = study.pretrained[backbone.description] else {
                if !study.pretrained.isEmpty {
                    listener.handle(.message("\(backbone): no pretrained weights (\(ReferenceWeights.of(backbone) == nil ? "none published" : "none asked for")); it trains from scratch"))
                }
                continue
            }
            let source = try PretrainedWeights.source(choice == "imagenet" ? try PretrainedLocator.find(backbone) : choice)
            let loaded = try PretrainedWeights.check(source, spec: backbone)
            listener.handle(.message("\(backbone): starts from \(loaded.model)'s weights, \(source.file) (sha256 \(source.sha256.prefix(12))…)"))
            sources[backbone.description] = source
        }
        return sources
    }

    /// The recommendation over the cells finished so far.
    public func recommend() -> Recommendation {
        Self.recommend(study, folder: folder)
    }

    /// The recommendation from the summaries in `folder` (also for `studyctl status` and partial studies).
    public static func recommend(_ study: StudyFile, folder: StudyLayout) -> Recommendation {
        var groups: [String: RecommendationBuilder.Group] = [:]
        var order: [String] = []
        for cell in study.cells {
            if groups[cell.group] == nil {
                order.append(cell.group)
                groups[cell.group] = .init(name: cell.group, backbone: cell.backbone.description, neck: cell.neck.description,
                                           imageSize: cell.imageSize, seedsTotal: 0, summaries: [])
            }
            groups[cell.group]!.seedsTotal += 1
            let run = folder.run(cell.runName)
            if let summary = try? ResultFiles.readJSON(RunSummary.self, from: run.summary) {
                groups[cell.group]!.summaries.append(summary)
                if study.cost == .latency, let latency = run.readLatency() { groups[cell.group]!.latencies.append(latency) }
            }
        }
        return RecommendationBuilder.build(order.map { groups[$0]! }, metric: study.metric, cost: study.cost, tolerance: study.tolerance)
    }

    /// A new manifest for this run of the study; each cell's state as its files show it.
    func writeManifest(data: StudyData, cells: [Cell], executor: String) throws {
        let machine = Machine.current()
        let states = cells.map { c -> StudyManifest.Cell in
            let run = folder.run(c.runName)
            let done = FileManager.default.fileExists(atPath: run.summary)
            return .init(name: c.name, backbone: c.backbone.description, neck: c.neck.description, imageSize: c.imageSize,
                         seed: c.seed, state: done ? .done : .pending, wallSeconds: done ? run.readTiming()?.wallSeconds : nil)
        }
        var made = StudyManifest(
            study: study.name, title: study.title, description: study.description, studyHash: SHA256.hex(Array(text.utf8)),
            datasetFingerprint: data.data.fingerprint, datasetDescription: data.description, version: CodeVersion.string,
            gitCommit: CodeVersion.gitCommit, swiftVersion: CodeVersion.swift, cpu: machine.cpuModel, simd: machine.simdFeatures,
            threads: threads, jobs: jobs, executor: executor, openblas: BLAS.configuration, onednn: DNNLConv.version,
            seeds: study.seeds, language: study.language, formats: study.formats,
            started: ISO8601DateFormatter().string(from: Date()), finished: nil, cells: states, command: command)
        made.pretrained = data.pretrained.isEmpty ? nil : data.pretrained
        do { try manifest.update { $0 = made } } catch { throw StudyRunFailure("\(error)") }
    }

    /// Records a cell's state (and why it failed) in the manifest; a manifest that cannot be
    /// written does not stop training (the run's own files are what count).
    public func setState(_ cell: Cell, _ state: CellState, wall: Double?, failure: String? = nil) {
        stateLock.withLock {
            try? manifest.update { m in
                guard let i = m?.cells.firstIndex(where: { $0.name == cell.name }) else { return }
                m?.cells[i].state = state
                m?.cells[i].failure = state == .failed ? failure : nil
                if let wall { m?.cells[i].wallSeconds = wall }
            }
        }
    }
}
