import ArgumentParser
import Foundation
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

            Today: `train` trains one detector from scratch with YOLOv5 v7.0's recipe, `val` \
            validates trained weights, `dataset synth` writes the built-in dataset, `eval` scores \
            saved predictions, `models` lists the detectors of the zoo, `bench` times the engine, \
            `doctor` checks the machine. `run` trains a study's grid, recommends a backbone and \
            writes its HTML and PDF report; `status` shows where a study stands; `report` renders a \
            study folder's charts and reports again from its result files.
            """,
        version: CodeVersion.string,
        subcommands: [
            Run.self, Status.self, Report.self, Train.self, Val.self, Detect.self, Export.self, Latency.self, Dataset.self, Eval.self, Models.self,
            Bench.self, Doctor.self,
        ]
    )

    /// Runs the command, mapping every usage error (unknown option, invalid value) to one line on
    /// stderr and exit code 2: studyctl's code for bad input (argument-parser's own is 64).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as CLIError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            if case .badInput = error { Foundation.exit(2) }
            Foundation.exit(1)
        } catch {
            if exitCode(for: error) == .validationFailure {
                let names = configuration.subcommands.map { $0._commandName }
                let command = CommandLine.arguments.dropFirst().first { names.contains($0) }.map { "studyctl \($0)" } ?? "studyctl"
                let line = "error: \(message(for: error)) (see '\(command) --help')\n"
                FileHandle.standardError.write(Data(line.utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
