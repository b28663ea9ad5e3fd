import Dispatch
import Engine
import Foundation

/// The file and thread work every loader of the module shares: reading a whole file that may be
/// missing, and a map over all cores that keeps order.
enum Loading {
    /// The whole file; nil when there is no such file; a problem when it exists but cannot be read.
    static func readIfPresent(_ path: String) -> Result<[UInt8]?, InputProblem> {
        do {
            return .success(try readWholeFile(path))
        } catch {
            if error.code == ENOENT { return .success(nil) }
            return .failure(InputProblem(file: path, error.reason))
        }
    }

    /// `transform` applied to every element on all cores, results in order.
    static func map<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
        let results = UnsafeMutableBufferPointer<R?>.allocate(capacity: items.count)
        results.initialize(repeating: nil)
        defer {
            results.deinitialize()
            results.deallocate()
        }
        nonisolated(unsafe) let slots = results
        let chunk = 64
        DispatchQueue.concurrentPerform(iterations: (items.count + chunk - 1) / chunk) { c in
            for i in (c * chunk)..<min(items.count, (c + 1) * chunk) { slots[i] = transform(items[i]) }
        }
        return results.compactMap { $0 }
    }
}
