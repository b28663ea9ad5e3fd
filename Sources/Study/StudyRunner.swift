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
    public let folder: StudyLayout
    public let threads: Int
    public let jobs: Int
    public let command: String
    /// The folder the study file is in, where its relative paths start.
    public let studyFolder: String
    public let listener: StudyListener
    private let manifestLock = NSLock()
    private var manifest: StudyManifest?

    public init(study: StudyFile, text: String, studyFolder: String, folder: StudyLayout, threads: Int, jobs: Int, command: String,
                listener: StudyListener) {
        (self.study, self.text, self.studyFolder, self.folder, self.threads, self.jobs, self.command, self.listener) =
            (study, text, studyFolder, folder, threads, jobs, command, listener)
    }

    /// The data the cells train on, loaded once, and how the manifest describes it.
    struct StudyData {
        var data: TrainingData
        var description: String
    }

    /// Runs every cell (or only `onlyCell`) and returns the recommendation over what is finished.
    public func run(fresh: Bool, onlyCell: String? = nil) throws -> Recommendation {
        let conflicts = fresh ? [] : folder.conflicts(with: study, text: text, studyFolder: studyFolder)
        guard conflicts.isEmpty else {
            throw StudyFileError("\(folder.path) holds results trained with other settings (\(conflicts.joined(separator: ", "))); run with --fresh to delete them and start over, or choose another --output")
        }
        if fresh { try folder.clear() }
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
        do {
            try FileManager.default.createDirectory(atPath: folder.runs, withIntermediateDirectories: true)
            try ResultFiles.writeAtomically(Data(text.utf8), to: folder.studyCopy)
        } catch {
            throw StudyRunFailure("\(folder.path): cannot write: \(error)")
        }
        let started = ISO8601DateFormatter().string(from: Date())
        manifest = makeManifest(data: data, started: started, cells: cells)
        writeManifest()

        let total = cells.count
        var pending: [(Int, Cell)] = []
        for (i, cell) in cells.enumerated() where selected.contains(cell) {
            if FileManager.default.fileExists(atPath: folder.run(cell.runName).summary) {
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
                    let timing = folder.run(cell.runName).readTiming()
                    setState(cell, .done, wall: timing?.wallSeconds)
                    listener.handle(.cellFinished(index: index, total: total, cell: cell, summary: summary, timing: timing))
                } catch {
                    setState(cell, error is TrainingInterrupted ? .pending : .failed, wall: nil)
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
        let spec = DetectorSpec(backbone: cell.backbone, neck: cell.neck, classes: data.data.train.names.count)
        let layout = folder.run(cell.runName)
        var options = TrainingOptions(spec: spec, output: layout.path)
        (options.epochs, options.batch, options.imageSize, options.seed) = (study.epochs, study.batch, cell.imageSize, cell.seed)
        options.nominalBatch = study.nominalBatch
        options.minWarmupIterations = study.minWarmupIterations
        (options.hyp, options.cosLR, options.patience, options.optimizer) = (study.hyp, study.cosLR, study.patience, study.optimizer)
        let run = TrainingRun(options: options, data: data.data)
        switch try run.run(listeners: listener.trainingListeners(for: cell, folder: layout), starting: { _ in setState(cell, .running, wall: nil) }) {
        case .alreadyFinished(let summary): return summary
        case .trained(let result): return result.summary
        }
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
        do {
            let data = try TrainingData(try DataYAML.load(yaml)) { [listener] in listener.handle(.message($0)) }
            // Every image size now, before the cells share the data from several threads.
            for size in sizes.sorted() { _ = try data.stores(imageSize: size, cache: .auto, validationBatch: study.batch * 2) }
            return StudyData(data: data, description: description)
        } catch {
            throw StudyFileError("\(error)")
        }
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

    func makeManifest(data: StudyData, started: String, cells: [Cell]) -> StudyManifest {
        let machine = Machine.current()
        return StudyManifest(
            study: study.name, title: study.title, description: study.description, studyHash: SHA256.hex(Array(text.utf8)),
            datasetFingerprint: data.data.fingerprint, datasetDescription: data.description, version: CodeVersion.string,
            gitCommit: CodeVersion.gitCommit, swiftVersion: CodeVersion.swift, cpu: machine.cpuModel, simd: machine.simdFeatures,
            threads: threads, jobs: jobs, openblas: BLAS.configuration, onednn: DNNLConv.version, seeds: study.seeds,
            language: study.language, formats: study.formats, started: started, finished: nil,
            cells: cells.map { c in
                let run = folder.run(c.runName)
                let done = FileManager.default.fileExists(atPath: run.summary)
                return .init(name: c.name, backbone: c.backbone.description, neck: c.neck.description, imageSize: c.imageSize,
                             seed: c.seed, state: done ? .done : .pending, wallSeconds: done ? run.readTiming()?.wallSeconds : nil)
            },
            command: command)
    }

    func setState(_ cell: Cell, _ state: CellState, wall: Double?) {
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
