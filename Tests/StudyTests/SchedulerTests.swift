import Engine
import Foundation
import Study
import Testing

/// The local executor's scheduler: every cell once, in grid order, `jobs` at a time on a share of
/// the threads each, and nothing new after the first failure.
struct SchedulerTests {
    struct Failure: Error {}

    /// A log of what the work saw, shared by the job threads.
    final class Log: @unchecked Sendable {
        let lock = NSLock()
        var started: [Int] = [], finished: [Int] = [], running = 0, mostAtOnce = 0, poolSizes: Set<Int> = []

        func start(_ i: Int) {
            lock.withLock {
                started.append(i)
                running += 1
                mostAtOnce = max(mostAtOnce, running)
                poolSizes.insert(ThreadPool.shared.threadCount)
            }
        }

        func finish(_ i: Int) { lock.withLock { finished.append(i); running -= 1 } }
    }

    @Test func oneJobRunsEveryCellInOrderOnAllThreads() throws {
        let log = Log()
        try ThreadPool.using(ThreadPool(threads: 2)) {
            try LocalExecutor.schedule(Array(0..<6), jobs: 1, threads: 2) { i in log.start(i); log.finish(i) }
        }
        #expect(log.started == Array(0..<6) && log.finished == Array(0..<6))
        #expect(log.mostAtOnce == 1 && log.poolSizes == [2])
    }

    /// Two jobs on two threads: two cells at a time, one thread each, every cell exactly once, and
    /// cells start in grid order.
    @Test func twoJobsShareTheThreads() throws {
        let log = Log()
        try LocalExecutor.schedule(Array(0..<8), jobs: 2, threads: 2) { i in
            log.start(i)
            Thread.sleep(forTimeInterval: 0.02)
            log.finish(i)
        }
        // Cells are taken in grid order; two job threads may log their starts a place apart.
        #expect(log.started.enumerated().allSatisfy { abs($0.element - $0.offset) <= 1 }, "\(log.started)")
        #expect(log.finished.sorted() == Array(0..<8))
        #expect(log.mostAtOnce == 2 && log.poolSizes == [1])
    }

    @Test func theFirstFailureStopsNewCellsAndIsRethrown() {
        let log = Log()
        #expect(throws: Failure.self) {
            try LocalExecutor.schedule(Array(0..<10), jobs: 1, threads: 1) { i in
                log.start(i)
                defer { log.finish(i) }
                if i == 3 { throw Failure() }
            }
        }
        #expect(log.started == [0, 1, 2, 3])
        let two = Log()
        #expect(throws: Failure.self) {
            try LocalExecutor.schedule(Array(0..<10), jobs: 2, threads: 2) { i in
                two.start(i)
                defer { two.finish(i) }
                Thread.sleep(forTimeInterval: 0.01)
                if i == 3 { throw Failure() }
            }
        }
        #expect(two.started.count <= 5 && two.started.contains(3), "\(two.started): at most the one running beside it and none after")
    }
}
