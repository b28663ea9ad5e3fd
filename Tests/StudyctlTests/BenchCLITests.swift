import Foundation
import Testing

/// `studyctl bench` runs for real and reports measured, positive times.
struct BenchCLITests {
    func json(_ arguments: String...) throws -> [String: Any] {
        let (status, output) = try CLITests().studyctlArguments(arguments)
        #expect(status == 0, "\(output)")
        return try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any] ?? [:]
    }

    @Test func opBenchmarkTimesTheChosenOps() throws {
        let report = try json("bench", "--ops", "--only", "silu", "--iterations", "2", "--threads", "1", "--json")
        let ops = report["ops"] as? [[String: Any]] ?? []
        #expect(ops.count == 1)
        #expect((ops.first?["name"] as? String) == "silu 32x80x80")
        #expect((ops.first?["forward_ms"] as? Double ?? 0) > 0)
        #expect((ops.first?["forward_backward_ms"] as? Double ?? 0) > 0)
        #expect((report["threads"] as? Int) == 1)
    }

    @Test func modelBenchmarkTimesTrainingAndInference() throws {
        let r = try json("bench", "--model", "shufflenetv2@0.5", "--imgsz", "64", "--batch", "2",
                         "--infer-imgsz", "64", "--iterations", "2", "--json")
        #expect((r["model"] as? String) == "shufflenetv2@0.5__pan-sppf")
        let forward = r["forward_s"] as? Double ?? 0, backward = r["backward_s"] as? Double ?? 0
        #expect(forward > 0 && backward > 0)
        #expect((r["infer_b1_ms"] as? Double ?? 0) > 0)
        #expect((r["peak_rss_mib"] as? Double ?? 0) > 10)
    }

    @Test func benchNeedsOneBenchmark() throws {
        let (status, output) = try CLITests().studyctlArguments(["bench"])
        #expect(status == 2)
        #expect(output.contains("choose one benchmark"))
    }
}
