import Foundation

/// What the engine runs on: CPU model, the SIMD features its kernels can use, and the core count.
///
/// Read from /proc/cpuinfo on Linux; recorded in study manifests so a reader knows the hardware.
public struct Machine: Sendable, Equatable {
    /// The CPU model as the kernel names it, e.g. "AMD EPYC 9B14".
    public var cpuModel: String
    /// The SIMD feature flags that matter to the kernels, in increasing width.
    public var simdFeatures: [String]
    /// Logical CPUs this process may run on.
    public var cores: Int

    /// The flags the kernels care about, in the order they are reported.
    public static let relevantFlags = ["sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl", "avx512_bf16"]

    /// Reads the current machine's description.
    public static func current() -> Machine {
        let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        return parse(cpuinfo: text, cores: ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Builds the description from the text of /proc/cpuinfo (the first processor's block).
    public static func parse(cpuinfo: String, cores: Int) -> Machine {
        var model = "unknown"
        var flags: Set<Substring> = []
        for line in cpuinfo.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if key == "model name", model == "unknown" { model = value }
            if key == "flags", flags.isEmpty { flags = Set(value.split(separator: " ")) }
        }
        let simd = relevantFlags.filter { flags.contains(Substring($0)) }
        return Machine(cpuModel: model, simdFeatures: simd, cores: cores)
    }
}
