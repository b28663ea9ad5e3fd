import Detection
import Engine
import Foundation
import Results
import Training

/// The work of `studyctl train` once its options are parsed: the data, then one `TrainingRun`.
struct TrainCommand {
    var options: TrainingOptions
    var yaml: DataYAML
    var cache: TrainingData.Cache
    var resume: Bool

    func run() throws {
        let layout = RunLayout(options.output)
        let progress = TrainProgress(logPath: layout.log)
        let data = try inputProblem { () throws(InputProblem) in try TrainingData(yaml, log: { progress.line($0) }) }
        let run = TrainingRun(options: options, data: data, cache: cache)
        installInterruptHandler()
        let outcome: TrainingRun.Outcome
        do {
            outcome = try run.run(listeners: [progress], requireCheckpoint: resume) { _ in
                progress.line("\(options.spec.description): \(options.epochs) epochs, batch \(options.batch), \(options.imageSize) px, seed \(options.seed), \(ThreadPool.shared.threadCount) threads; logging to \(options.output)")
            }
        } catch let interrupted as TrainingInterrupted {
            progress.line("\n\(interrupted)")
            Foundation.exit(130)
        } catch let error as InputProblem {
            throw CLIError.badInput("error: \(error)")
        } catch let error as LockError {
            throw CLIError.badInput("error: \(error)")
        } catch let error as CheckpointError {
            throw CLIError.badInput("error: \(resume ? "--resume: " : "")\(error)")
        } catch {
            throw CLIError.failed("error: \(error)")
        }
        switch outcome {
        case .alreadyFinished(let summary):
            progress.line("\(options.output) is already finished (\(summary.epochsRun) epochs); its results are in \(layout.results)")
        case .trained:
            progress.line("Results: \(layout.results), weights: \(layout.bestWeights)")
        }
    }
}

/// Ctrl-C asks the trainer to stop at the next batch; a second Ctrl-C ends the process at once.
func installInterruptHandler() {
    signal(SIGINT) { _ in
        if Trainer.interruptRequested { _exit(130) }
        Trainer.interruptRequested = true
    }
}
