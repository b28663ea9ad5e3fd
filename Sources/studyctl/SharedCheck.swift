import Foundation
import Results
import Study

/// `--check-shared`: one small srun job that looks, from a node, at what the cells will need —
/// the output folder writable, the dataset readable, this studyctl runnable (`studyctl doctor`).
struct SharedCheck {
    var options: SlurmOptions
    var folder: StudyLayout
    var study: StudyFile
    var client: SlurmClient

    func run(progress: StudyProgress) throws {
        let data: String
        switch study.data {
        case .yaml(let path): data = path
        case .shapes: data = folder.path
        }
        let q = SlurmScript.quote
        let checks = [
            "test -d \(q(folder.path)) && test -w \(q(folder.path)) || { echo 'the output folder \(folder.path) is not writable from the node'; exit 1; }",
            "test -r \(q(data)) || { echo 'the dataset \(data) is not readable from the node'; exit 1; }",
            "\(q(options.binary)) doctor >/dev/null 2>&1 || { echo '\(options.binary) does not run on the node (studyctl doctor failed; see docs/cluster.md)'; \(q(options.binary)) doctor 2>&1 | tail -3; exit 1; }",
        ]
        progress.line("Checking from a node (srun): the output folder, the dataset and \(options.binary) …")
        guard client.which("srun") != nil else {
            throw CLIError.badInput("error: --check-shared: srun not found on PATH")
        }
        let o = try client.run("srun", ["--nodes=1", "--ntasks=1", "--cpus-per-task=1", "--time=2", "--job-name=studyctl-check"]
                                       + options.placement + ["/bin/sh", "-c", checks.joined(separator: "\n")])
        guard o.status == 0 else {
            let said = o.out.split(whereSeparator: \.isNewline).first.map(String.init) ?? SlurmClient.reason(o.err)
            let why = said.isEmpty ? "srun exited \(o.status)" : said
            throw CLIError.badInput("error: --check-shared: \(why)")
        }
        progress.line("A node can write \(folder.path), read \(data) and run \(options.binary).")
    }
}
