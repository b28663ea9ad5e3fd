import Detection
import Engine
import Foundation
import Results
import Training
import Zoo

/// Runs a study: every cell of the grid trained into its own run folder (finished cells skipped,
/// an interrupted cell resumed from its checkpoint), the manifest kept up to date, and the
/// recommendation written at the end. The same study file gives the same files.
public final class StudyRunner {
    public let study: StudyFile
    public let text: String
    public let folder: StudyFolder
    public let threads: Int
    public let jobs: Int
    public let command: String
    /// The folder the study file is in, where its relative paths start.
    public let studyFolder: String
    public let listener: StudyListener
    private let manifestLock = NSLock()
    private var manifest: StudyManifest?

    public init(study: StudyFile, text: String, studyFolder: String, folder: StudyFolder, threads: Int, jobs: Int, command: String,
                listener: StudyListener) {
        (self.study, self.text, self.studyFolder, self.folder, self.threads, self.jobs, self.command, self.listener) =
            (study, text, studyFolder, folder, threads, jobs, command, listener)
    }

    /// The data the cells train on, loaded once.
    struct StudyData {
        var train: DetectionDataset
        var val: DetectionDataset
        var fingerprint: String
        var description: String
        var stores: [Int: (train: ImageStore, validator: Validator)]
    }

    /// Runs every cell (or only `onlyCell`) and returns the recommendation over what is finished.
    public func run(fresh: Bool, onlyCell: String? = nil) throws -> Recommendation {
        let conflicts = fresh ? [] : folder.conflicts(with: study, text: text, studyFolder: studyFolder)
        guard conflicts.isEmpty else {
            throw StudyFileError("\(folder.path) holds results trained with other settings (\(conflicts.joined(separator: ", "))); run with --fresh to delete them and start over, or choose another --output")
        }
        if fresh { try folder.clear() }
        do {
            try FileManager.default.createDirectory(atPath: folder.path + "/runs", withIntermediateDirectories: true)
            try ResultFiles.writeAtomically(Data(text.utf8), to: folder.studyCopy)
        } catch {
            throw StudyRunFailure("\(folder.path): cannot write: \(error)")
        }
        let cells = study.cells
        let selected: [Cell]
        if let onlyCell {
            guard let cell = cells.first(where: { $0.name == onlyCell }) else {
                let hint = nearestName(onlyCell, among: cells.map(\.name)).map { " — did you mean \($0)?" } ?? ""
                throw StudyFileError("--cell \(onlyCell): no such cell in the study\(hint) (`studyctl run --dry-run` lists them)")
            }
            selected = [cell]
        } else {
            selected = cells
        }
        let data = try loadData(sizes: Set(selected.map(\.imageSize)))
        let started = ISO8601DateFormatter().string(from: Date())
        manifest = makeManifest(data: data, started: started, cells: cells)
        writeManifest()

        let total = cells.count
        var pending: [(Int, Cell)] = []
        for (i, cell) in cells.enumerated() where selected.contains(cell) {
            if FileManager.default.fileExists(atPath: folder.summary(cell)) {
                listener.handle(.cellSkipped(index: i + 1, total: total, cell: cell))
            } else {
                pending.append((i + 1, cell))
            }
        }
        try runCells(pending, total: total, data: data)
        let recommendation = recommend()
        do { try ResultFiles.writeJSON(recommendation, to: folder.recommendation) } catch { throw StudyRunFailure("\(error)") }
        manifestLock.withLock {
            if recommendation.missing.isEmpty { manifest?.finished = ISO8601DateFormatter().string(from: Date()) }
        }
        writeManifest()
        listener.handle(.finished(recommendation))
        return recommendation
    }

    /// Cells one after another with all threads, or `jobs` at once with the threads split.
    func runCells(_ pending: [(Int, Cell)], total: Int, data: StudyData) throws {
        var seconds: [Double] = []
        let lock = NSLock()
        var firstError: Error?
        var next = 0
        func eta(_ remaining: Int) -> Double? {
            lock.withLock { seconds.isEmpty ? nil : seconds.reduce(0, +) / Double(seconds.count) * Double(remaining) / Double(max(jobs, 1)) }
        }
        let work = { [self] in
            while true {
                let item: (Int, Cell)? = lock.withLock {
                    guard firstError == nil, next < pending.count else { return nil }
                    defer { next += 1 }
                    return pending[next]
                }
                guard let (index, cell) = item else { return }
                let left = lock.withLock { pending.count - next + 1 }
                listener.handle(.cellStarted(index: index, total: total, cell: cell, etaSeconds: eta(left)))
                let t0 = Date()
                do {
                    let summary = try runCell(cell, data: data)
                    let wall = Date().timeIntervalSince(t0)
                    lock.withLock { seconds.append(wall) }
                    setState(cell, "done", wall: summary.wallSeconds)
                    listener.handle(.cellFinished(index: index, total: total, cell: cell, summary: summary))
                } catch {
                    setState(cell, error is TrainingInterrupted ? "pending" : "failed", wall: nil)
                    lock.withLock { if firstError == nil { firstError = error } }
                    return
                }
            }
        }
        if jobs <= 1 {
            work()
        } else {
            let share = max(1, threads / jobs)
            let group = DispatchGroup()
            nonisolated(unsafe) let work = work  // each job thread takes cells under `lock`
            for _ in 0..<jobs {
                group.enter()
                let thread = Thread {
                    ThreadPool.using(ThreadPool(threads: share)) { work() }
                    group.leave()
                }
                thread.stackSize = 8 << 20
                thread.start()
            }
            group.wait()
        }
        if let firstError { throw firstError }
    }

    /// Trains one cell into runs/<cell>, resuming its checkpoint if it has one.
    func runCell(_ cell: Cell, data: StudyData) throws -> RunSummary {
        let spec = DetectorSpec(backbone: cell.backbone, neck: cell.neck, classes: data.train.names.count)
        var options = TrainingOptions(spec: spec, output: folder.run(cell))
        (options.epochs, options.batch, options.imageSize, options.seed) = (study.epochs, study.batch, cell.imageSize, cell.seed)
        options.nominalBatch = study.nominalBatch
        options.minWarmupIterations = study.minWarmupIterations
        (options.hyp, options.cosLR, options.patience, options.optimizer) = (study.hyp, study.cosLR, study.patience, study.optimizer)
        let run = RunFolder(options.output)
        try run.prepare()
        let lock = try FolderLock(folder: options.output)
        defer { lock.release() }
        run.removeStaleTemporaries()
        setState(cell, "running", wall: nil)
        var checkpoint: Checkpoint?
        switch try run.state(identity: options.identity(datasetFingerprint: data.fingerprint), description: options.description) {
        case .finished:
            return try ResultFiles.readJSON(RunSummary.self, from: run.summaryPath)
        case .resumable(let saved):
            checkpoint = saved
            try run.restoreResults(saved.rows)
        case .fresh:
            break
        }
        let stores = data.stores[cell.imageSize]!
        let trainer = Trainer(options: options, trainStore: stores.train, validator: stores.validator, datasetFingerprint: data.fingerprint)
        trainer.listeners = [run] + listener.trainingListeners(for: cell, folder: options.output)
        let summary = try trainer.run(resume: checkpoint)
        if let failure = run.failure { throw StudyRunFailure("\(options.output): writing the run's files failed: \(failure)") }
        return summary
    }

    /// Loads (or first generates) the dataset and keeps its images in RAM per image size.
    func loadData(sizes: Set<Int>) throws -> StudyData {
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
        let data: DataYAML, train: DetectionDataset, val: DetectionDataset
        do {
            data = try DataYAML.load(yaml)
            train = try DetectionDataset.load(data, split: "train")
            val = try DetectionDataset.load(data, split: "val")
        } catch {
            throw StudyFileError("\(error)")
        }
        for (name, split) in [("train", train), ("val", val)] {
            listener.handle(.message("\(name): \(split.count) images, \(split.instanceCount) labels, \(split.ignored.count) ignored"))
            for problem in split.ignored.prefix(10) { listener.handle(.message("warning: ignoring \(problem)")) }
        }
        let fingerprint = SHA256.hex(Array((train.fingerprint() + val.fingerprint()).utf8))
        var stores: [Int: (train: ImageStore, validator: Validator)] = [:]
        for size in sizes.sorted() {
            let t = ImageStore(train, imageSize: size, forTraining: true), v = ImageStore(val, imageSize: size, forTraining: false)
            let physical = Int(ProcessInfo.processInfo.physicalMemory)
            for (name, store) in [("train", t), ("val", v)] where store.resizedBytes < physical / 4 {
                let problems = store.cacheAll()
                if problems.count == store.dataset.count {
                    throw StudyFileError("\(yaml): \(name): none of the \(problems.count) images can be decoded, so there is nothing to train on (first: \(problems[0]))")
                }
                for problem in problems.prefix(5) { listener.handle(.message("warning: \(problem) (trained as a grey image)")) }
                listener.handle(.message(String(format: "%@: cached %d images at %d px in RAM (%.1f MB)", name, store.dataset.count, size,
                                                Double(store.resizedBytes) / 1e6)))
            }
            stores[size] = (t, Validator(store: v, batchSize: study.batch * 2, galleryCount: GallerySample.count))
        }
        return StudyData(train: train, val: val, fingerprint: fingerprint, description: description, stores: stores)
    }

    /// The recommendation over the cells finished so far.
    public func recommend() -> Recommendation {
        Self.recommend(study, folder: folder)
    }

    /// The recommendation from the summaries in `folder` (also for `studyctl status` and partial studies).
    public static func recommend(_ study: StudyFile, folder: StudyFolder) -> Recommendation {
        var groups: [String: RecommendationBuilder.Group] = [:]
        var order: [String] = []
        for cell in study.cells {
            if groups[cell.group] == nil {
                order.append(cell.group)
                groups[cell.group] = .init(name: cell.group, backbone: cell.backbone.description, neck: cell.neck.description,
                                           imageSize: cell.imageSize, seedsTotal: 0, summaries: [])
            }
            groups[cell.group]!.seedsTotal += 1
            if let summary = try? ResultFiles.readJSON(RunSummary.self, from: folder.summary(cell)) {
                groups[cell.group]!.summaries.append(summary)
            }
        }
        return RecommendationBuilder.build(order.map { groups[$0]! }, metric: study.metric, cost: study.cost, tolerance: study.tolerance)
    }

    func makeManifest(data: StudyData, started: String, cells: [Cell]) -> StudyManifest {
        let machine = Machine.current()
        return StudyManifest(
            study: study.name, title: study.title, description: study.description, studyHash: SHA256.hex(Array(text.utf8)),
            datasetFingerprint: data.fingerprint, datasetDescription: data.description, version: CodeVersion.string,
            gitCommit: CodeVersion.gitCommit, swiftVersion: CodeVersion.swift, cpu: machine.cpuModel, simd: machine.simdFeatures,
            threads: threads, jobs: jobs, openblas: BLAS.configuration, onednn: DNNLConv.version, seeds: study.seeds,
            started: started, finished: nil,
            cells: cells.map { c in
                let done = try? ResultFiles.readJSON(RunSummary.self, from: folder.summary(c))
                return .init(name: c.name, backbone: c.backbone.description, neck: c.neck.description, imageSize: c.imageSize,
                             seed: c.seed, state: done == nil ? "pending" : "done", wallSeconds: done?.wallSeconds)
            },
            command: command)
    }

    func setState(_ cell: Cell, _ state: String, wall: Double?) {
        manifestLock.withLock {
            guard let i = manifest?.cells.firstIndex(where: { $0.name == cell.name }) else { return }
            manifest?.cells[i].state = state
            if let wall { manifest?.cells[i].wallSeconds = wall }
        }
        writeManifest()
    }

    func writeManifest() {
        manifestLock.withLock {
            guard let manifest else { return }
            try? ResultFiles.writeJSON(manifest, to: folder.manifest)
        }
    }
}
