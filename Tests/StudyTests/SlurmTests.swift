import Foundation
import Results
import Study
import Testing

/// The job script, the submissions file and the manifest's file lock, without a cluster (the
/// cluster itself is exercised by .ci/slurm/study-test.sh).
struct SlurmTests {
    static func folder(_ name: String) -> String {
        let path = NSTemporaryDirectory() + "studyctl-slurm-\(name)-\(getpid())"
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func options(binary: String = "/opt/it's here/studyctl") -> SlurmOptions {
        SlurmOptions(partition: "cpu", cpusPerTask: 4, memory: "6G", time: "1:30:00", arrayLimit: 3, account: "lab", qos: nil,
                     extraArguments: ["--exclusive"], binary: binary, studyFile: "/data/my study.toml")
    }

    /// The sbatch header says what the options asked for, and the file is valid bash.
    @Test func theScriptHasTheOptionsAndIsValidBash() throws {
        let dir = Self.folder("script")
        let layout = StudyLayout(dir)
        let text = SlurmScript.text(study: "s", cells: ["a__n__s0", "b__n__s0"], layout: layout, options: Self.options())
        for line in ["#SBATCH --array=0-1%3", "#SBATCH --cpus-per-task=4", "#SBATCH --time=1:30:00", "#SBATCH --mem=6G",
                     "#SBATCH --partition=cpu", "#SBATCH --account=lab", "#SBATCH --exclusive", "#SBATCH --requeue",
                     "#SBATCH --signal=B:USR1@180", "#SBATCH --output=\(dir)/slurm/array-%A_%a.out"] {
            #expect(text.contains(line + "\n"), "missing \(line)")
        }
        #expect(!text.contains("--qos"))
        let path = dir + "/array.sbatch"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let bash = Process()
        bash.executableURL = URL(fileURLWithPath: "/bin/bash")
        bash.arguments = ["-n", path]
        try bash.run()
        bash.waitUntilExit()
        #expect(bash.terminationStatus == 0)
    }

    /// Run as task 1 with /bin/echo as the binary, the script passes task 1's cell, the study and
    /// the threads to `run --cell`, and logs to slurm/<cell>.out.
    @Test func eachTaskRunsItsCellAndLogsBesideIt() throws {
        let dir = Self.folder("task")
        let layout = StudyLayout(dir)
        try FileManager.default.createDirectory(atPath: layout.slurm, withIntermediateDirectories: true)
        let text = SlurmScript.text(study: "s", cells: ["a__n__s0", "b__n__s1"], layout: layout, options: Self.options(binary: "/bin/echo"))
        try text.write(toFile: layout.slurmScript, atomically: true, encoding: .utf8)
        let bash = Process()
        bash.executableURL = URL(fileURLWithPath: "/bin/bash")
        bash.arguments = [layout.slurmScript]
        bash.environment = ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_JOB_ID": "7", "SLURM_CPUS_PER_TASK": "4", "PATH": "/usr/bin:/bin"]
        try bash.run()
        bash.waitUntilExit()
        #expect(bash.terminationStatus == 0)
        let log = try String(contentsOfFile: layout.slurm + "/b__n__s1.out", encoding: .utf8)
        #expect(log.contains("job 7_1"), "\(log)")
        #expect(log.contains("run /data/my study.toml --cell b__n__s1 --output \(dir) --threads 4"), "\(log)")
        #expect(!FileManager.default.fileExists(atPath: layout.slurm + "/a__n__s0.out"))
    }

    @Test func quotingSurvivesSingleQuotes() {
        #expect(SlurmScript.quote("it's") == "'it'\\''s'")
    }

    /// A cell's task is the one of the latest submission that holds it.
    @Test func theLatestSubmissionOfACellIsItsTask() {
        var jobs = SlurmJobs()
        jobs.submissions = [.init(job: "10", cells: ["a", "b", "c"], submitted: ""), .init(job: "11", cells: ["c"], submitted: "")]
        #expect(jobs.task(of: "b")! == ("10", 1))
        #expect(jobs.task(of: "c")! == ("11", 0))
        #expect(jobs.task(of: "d") == nil)
        #expect(jobs.jobIDs == ["10", "11"])
    }

    @Test func runNamesFormatAndParse() throws {
        let plain = RunName(backbone: "mobilenetv3-small@0.75", neck: "pan-aspp(6,12,18)", imageSize: nil, seed: 3)
        #expect(plain.description == "mobilenetv3-small@0.75__pan-aspp(6,12,18)__s3" && plain.cell == "mobilenetv3-small@0.75__pan-aspp(6,12,18)")
        #expect(RunName(plain.description) == plain)
        let sized = RunName(backbone: "ghostnet", neck: "pan-sppf", imageSize: 320, seed: 0)
        #expect(sized.description == "ghostnet__pan-sppf__320__s0" && RunName(sized.description) == sized)
        for bad in ["ghostnet__pan-sppf", "ghostnet__pan-sppf__sx", "__pan-sppf__s0", "a__b__big__s0", "a__b__1__2__s0", "a__b__s-1"] {
            #expect(RunName(bad) == nil, "\(bad)")
        }
    }

    /// Eight threads each change their own cell 25 times through the file lock: no change is lost.
    @Test func concurrentManifestUpdatesKeepEveryChange() throws {
        let dir = Self.folder("manifest")
        let store = ManifestStore(StudyLayout(dir))
        let cells = (0..<8).map { StudyManifest.Cell(name: "c\($0)", backbone: "b", neck: "n", imageSize: 64, seed: 0, state: .pending) }
        let manifest = StudyManifest(
            study: "m", title: "", description: "", studyHash: "", datasetFingerprint: "", datasetDescription: "", version: "",
            gitCommit: "", swiftVersion: "", cpu: "", simd: [], threads: 1, jobs: 1, executor: "local", openblas: "", onednn: "",
            seeds: [0], language: "en", formats: [], started: "", finished: nil, cells: cells, command: "")
        try store.update { $0 = manifest }
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            for k in 1...25 {
                try? store.update { m in m?.cells[i].wallSeconds = Double(k) }
            }
            try? store.update { m in m?.cells[i].state = .done }
        }
        let final = try #require(store.read())
        #expect(final.cells.allSatisfy { $0.state == .done && $0.wallSeconds == 25 })
    }
}
