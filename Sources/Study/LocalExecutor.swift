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
        var seconds: [Double] = []
        let lock = NSLock()
        var firstError: Error?
        var next = 0
        func eta(_ remaining: Int) -> Double? {
            lock.withLock { seconds.isEmpty ? nil : seconds.reduce(0, +) / Double(seconds.count) * Double(remaining) / Double(max(jobs, 1)) }
        }
        let work = {
            while true {
                let item: PendingCell? = lock.withLock {
                    guard firstError == nil, next < pending.count else { return nil }
                    defer { next += 1 }
                    return pending[next]
                }
                guard let item else { return }
                let left = lock.withLock { pending.count - next + 1 }
                runner.listener.handle(.cellStarted(index: item.index, total: total, cell: item.cell, etaSeconds: eta(left)))
                let t0 = Date()
                do {
                    let summary = try runner.runCell(item.cell)
                    lock.withLock { seconds.append(Date().timeIntervalSince(t0)) }
                    let timing = runner.folder.run(item.cell.runName).readTiming()
                    runner.setState(item.cell, .done, wall: timing?.wallSeconds)
                    runner.listener.handle(.cellFinished(index: item.index, total: total, cell: item.cell, summary: summary, timing: timing))
                } catch {
                    runner.setState(item.cell, error is TrainingInterrupted ? .pending : .failed, wall: nil,
                                    failure: error is TrainingInterrupted ? nil : "\(error)")
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
}
