import ArgumentParser
import Results

/// The `studyctl` command line: one subcommand per file, beside this one.
@main
struct StudyCtl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "studyctl",
        abstract: "Train and compare YOLOv5n-style detectors with lightweight backbones on the CPU.",
        discussion: """
            studyctl answers one question for teams who ship object detectors to weak edge devices: \
            which lightweight backbone should we use? It trains a declared grid of detectors on its \
            own CPU engine, measures them with YOLOv5's metrics and writes a report that recommends \
            a backbone by accuracy per parameter.

            Start with `studyctl doctor` to check that the machine has what studyctl needs.
            """,
        version: CodeVersion.string,
        subcommands: [Doctor.self, Eval.self]
    )
}
