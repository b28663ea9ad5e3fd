import Foundation

/// Optional per-op timing: where a model's forward and backward time goes.
///
/// Off by default (one branch per op); `Profiler.enabled = true` makes every op add its forward
/// time, and every backward closure its time, under the op's name.
public enum Profiler {
    nonisolated(unsafe) public static var enabled = false
    nonisolated(unsafe) private static var totals: [String: (seconds: Double, calls: Int)] = [:]

    /// A start time when profiling, else 0.
    @inline(__always)
    static func start() -> UInt64 { enabled ? DispatchTime.now().uptimeNanoseconds : 0 }

    /// Adds the time since `start` to `name`.
    @inline(__always)
    static func stop(_ start: UInt64, _ name: @autoclosure () -> String) {
        guard enabled else { return }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        totals[name(), default: (0, 0)].seconds += elapsed
        totals[name(), default: (0, 0)].calls += 1
    }

    /// The totals so far, largest first, and clears them.
    public static func drain() -> [(name: String, seconds: Double, calls: Int)] {
        defer { totals = [:] }
        return totals.map { ($0.key, $0.value.seconds, $0.value.calls) }.sorted { $0.seconds > $1.seconds }
    }
}
