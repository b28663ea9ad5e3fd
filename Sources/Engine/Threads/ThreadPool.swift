import Foundation
import Synchronization

/// The engine's one parallel-for: a fixed set of threads that split a task range statically.
///
/// Task `i` of `count` always runs on the same thread for a given thread count, and kernels only
/// write disjoint outputs per task, so results never depend on scheduling. OpenBLAS is kept to
/// one thread and called from inside these tasks, so the two never oversubscribe the cores.
public final class ThreadPool: @unchecked Sendable {
    /// The pool the kernels on this thread use: the one `using(_:_:)` set, or the process default.
    public static var shared: ThreadPool {
        if let raw = pthread_getspecific(overrideKey) { return Unmanaged<ThreadPool>.fromOpaque(raw).takeUnretainedValue() }
        if let pool = processDefault { return pool }
        let pool = ThreadPool(threads: defaultThreadCount)
        processDefault = pool
        return pool
    }

    /// Made on first use, so `configure` before any kernel runs never builds a pool it drops.
    nonisolated(unsafe) private static var processDefault: ThreadPool?
    private static let overrideKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Runs `body` with every kernel it calls on this thread using `pool`.
    public static func using<T>(_ pool: ThreadPool, _ body: () throws -> T) rethrows -> T {
        let saved = pthread_getspecific(overrideKey)
        pthread_setspecific(overrideKey, Unmanaged.passUnretained(pool).toOpaque())
        defer { pthread_setspecific(overrideKey, saved) }
        return try withExtendedLifetime(pool) { try body() }
    }

    /// All online cores.
    public static var defaultThreadCount: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Sets the number of threads the kernels use by default (1 runs everything on the calling
    /// thread). Call it once at start-up, before any other thread runs kernels.
    public static func configure(threads: Int) {
        require(threads >= 1, "ThreadPool: threads must be at least 1, got \(threads)")
        BLAS.threadCount = 1
        if threads != processDefault?.threadCount { processDefault = ThreadPool(threads: threads) }
    }

    public let threadCount: Int
    private let core: Core
    private var workers: [pthread_t] = []

    /// The state the workers share with the driving thread; workers keep it alive.
    private final class Core: @unchecked Sendable {
        typealias Job = (_ thread: Int) -> Void
        var job: Job?
        let generation = Atomic<Int>(0)
        let pending = Atomic<Int>(0)
        /// Held by the thread driving a parallel region; others run their regions inline.
        let busy = Atomic<Bool>(false)
        var mutex = pthread_mutex_t()
        var wake = pthread_cond_t()
        var sleepers = 0
        var stopping = false

        init() {
            pthread_mutex_init(&mutex, nil)
            pthread_cond_init(&wake, nil)
        }

        deinit {
            pthread_cond_destroy(&wake)
            pthread_mutex_destroy(&mutex)
        }

        func workerLoop(index: Int) {
            var seen = 0
            while true {
                var spins = 0
                while generation.load(ordering: .acquiring) == seen {
                    spins += 1
                    if spins < 200_000 { continue }
                    pthread_mutex_lock(&mutex)
                    sleepers += 1
                    while generation.load(ordering: .acquiring) == seen { pthread_cond_wait(&wake, &mutex) }
                    sleepers -= 1
                    pthread_mutex_unlock(&mutex)
                }
                seen = generation.load(ordering: .acquiring)
                if stopping { return }
                job?(index)
                pending.subtract(1, ordering: .releasing)
            }
        }

        /// Publishes `body` to the workers, runs part 0 here and waits for the rest.
        func run(workers: Int, _ body: @escaping Job) {
            job = body
            pending.store(workers, ordering: .relaxed)
            pthread_mutex_lock(&mutex)
            generation.add(1, ordering: .releasing)
            if sleepers > 0 { pthread_cond_broadcast(&wake) }
            pthread_mutex_unlock(&mutex)
            body(0)
            var spins = 0
            while pending.load(ordering: .acquiring) != 0 {
                spins += 1
                if spins > 1000 { sched_yield() }
            }
            job = nil
        }

        func stop() {
            pthread_mutex_lock(&mutex)
            stopping = true
            generation.add(1, ordering: .releasing)
            pthread_cond_broadcast(&wake)
            pthread_mutex_unlock(&mutex)
        }
    }

    private final class WorkerContext {
        let core: Core
        let index: Int
        /// The pool, unretained: it outlives its workers (deinit joins them).
        let pool: UnsafeMutableRawPointer
        init(core: Core, index: Int, pool: UnsafeMutableRawPointer) { (self.core, self.index, self.pool) = (core, index, pool) }
    }

    /// A pool of `threads` threads (the caller is one of them).
    public init(threads: Int) {
        require(threads >= 1, "ThreadPool: threads must be at least 1, got \(threads)")
        threadCount = threads
        core = Core()
        BLAS.threadCount = 1
        for index in 1..<max(threads, 1) {
            let pool = Unmanaged.passUnretained(self).toOpaque()
            let context = Unmanaged.passRetained(WorkerContext(core: core, index: index, pool: pool)).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { raw in
                let context = Unmanaged<WorkerContext>.fromOpaque(raw!).takeRetainedValue()
                // Kernels nested inside a task see this pool (busy), so they run inline.
                pthread_setspecific(ThreadPool.overrideKey, context.pool)
                context.core.workerLoop(index: context.index)
                return nil
            }, context)
            require(status == 0, "ThreadPool: pthread_create failed (\(status))")
            workers.append(thread)
        }
    }

    deinit {
        core.stop()
        for thread in workers { pthread_join(thread, nil) }
    }

    /// Splits `0..<count` into one contiguous range per thread and runs `body(range)` on each.
    ///
    /// When the pool is busy (a nested call, or another thread's region) the same ranges run one
    /// after another on the calling thread, so results never depend on contention.
    public func parallelFor(_ count: Int, _ body: (Range<Int>) -> Void) {
        parallelForThread(count) { _, range in body(range) }
    }

    /// Like `parallelFor`, also passing the index of the thread (0..<threadCount) that runs the range.
    public func parallelForThread(_ count: Int, _ body: (_ thread: Int, Range<Int>) -> Void) {
        guard count > 0 else { return }
        let threads = min(threadCount, count)
        if threads == 1 || !core.busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged {
            for thread in 0..<threads { body(thread, Self.chunk(thread, of: threads, count: count)) }
            return
        }
        defer { core.busy.store(false, ordering: .releasing) }
        withoutActuallyEscaping(body) { body in
            core.run(workers: threadCount - 1) { thread in
                guard thread < threads else { return }
                body(thread, Self.chunk(thread, of: threads, count: count))
            }
        }
    }

    /// The contiguous range of `0..<count` that thread `thread` of `threads` takes.
    @inline(__always)
    public static func chunk(_ thread: Int, of threads: Int, count: Int) -> Range<Int> {
        (thread * count / threads)..<((thread + 1) * count / threads)
    }
}
