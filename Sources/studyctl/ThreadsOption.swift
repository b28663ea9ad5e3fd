import ArgumentParser
import Engine

/// `--threads N`, shared by every command that runs the engine.
struct ThreadsOption: ParsableArguments {
    @Option(help: "Threads the engine uses (default: all cores). Results do not depend on it.")
    var threads: Int = ThreadPool.defaultThreadCount

    func validate() throws {
        guard threads >= 1, threads <= 256 else { throw ValidationError("--threads must be from 1 to 256, got \(threads)") }
    }

    /// Sizes the engine's thread pool (OpenBLAS stays at one thread inside it).
    func apply() { ThreadPool.configure(threads: threads) }
}
