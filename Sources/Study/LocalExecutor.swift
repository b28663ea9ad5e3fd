import Engine
import Foundation
import Training

/// Trains the cells in this process: one after another with all threads, or `jobs` at once with
/// the threads split between them. The first failure stops the study.
public struct LocalExecutor: CellExecutor {
    public let threads: Int
    public let jobs: Int

    public init(threads: Int, jobs: Int) { (self.threads, self.jobs) = (threads, jobs) }

    public var waitsForCells: Bool { true }

    public func execute(_ pending: [PendingCell], for runner: StudyRunner) throws {
        guard !pending.isEmpty else { return }
        // Every image size now, before the cells share the data from several threads.
        for size in Set(pending.map(\.cell.imageSize)).sorted() { _ = try runner.stores(imageSize: size) }
        let total = runner.study.cells.count
        let lock = NSLock()
        var seconds: [Double] = []
        var started = 0
        try Self.schedule(pending, jobs: jobs, threads: threads) { item in
            let eta: Double? = lock.withLock {
                started += 1
                let left = pending.count - started + 1
                return seconds.isEmpty ? nil : seconds.reduce(0, +) / Double(seconds.count) * Double(left) / Double(max(jobs, 1))
            }
            runner.listener.handle(.cellStarted(index: item.index, total: total, cell: item.cell, etaSeconds: eta))
            let t0 = Date()
            do {
                let summary = try runner.runCell(item.cell)
                lock.withLock { seconds.append(Date().timeIntervalSince(t0)) }
                let timing = runner.folder.run(item.cell.runName).readTiming()
                runner.setState(item.cell, .done, wall: timing?.wallSeconds)
                runner.listener.handle(.cellFinished(index: item.index, total: total, cell: item.cell, summary: summary, timing: timing))
            } catch {
                let interrupted = error is TrainingInterrupted
                runner.setState(item.cell, interrupted ? .pending : .failed, wall: nil, failure: interrupted ? nil : "\(error)")
                throw error
            }
        }
    }

    /// Runs `work` on every item in order, `jobs` at a time, each job on a pool of `threads / jobs`
    /// threads; after the first error no item starts, and that error is rethrown once the running
    /// ones end.
    public static func schedule<Item>(_ items: [Item], jobs: Int, threads: Int, _ work: @escaping (Item) throws -> Void) throws {
        let lock = NSLock()
        var firstError: Error?
        var next = 0
        let loop = {
            while true {
                let item: Item? = lock.withLock {
                    guard firstError == nil, next < items.count else { return nil }
                    defer { next += 1 }
                    return items[next]
                }
                guard let item else { return }
                do { try work(item) } catch { lock.withLock { if firstError == nil { firstError = error } } }
            }
        }
        if jobs <= 1 {
            loop()
        } else {
            let group = DispatchGroup()
            nonisolated(unsafe) let loop = loop  // the job threads take items under `lock`
            for _ in 0..<jobs {
                group.enter()
                let thread = Thread {
                    ThreadPool.using(ThreadPool(threads: max(1, threads / jobs))) { loop() }
                    group.leave()
                }
                thread.stackSize = 8 << 20
                thread.start()
            }
            group.wait()
        }
        if let firstError { throw firstError }
    }
}
