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
        installInterruptHandler()
        let layout = RunLayout(options.output)
        let progress = TrainProgress(logPath: layout.log)
        let data = try inputProblem { () throws(InputProblem) in try TrainingData(yaml, log: { progress.line($0) }) }
        let run = TrainingRun(options: options, data: data, cache: cache)
        let outcome: TrainingRun.Outcome
        do {
            outcome = try run.run(listeners: [progress], requireCheckpoint: resume) { _ in
                progress.line("\(options.spec.description): \(options.epochs) epochs, batch \(options.batch), \(options.imageSize) px, seed \(options.seed), \(ThreadPool.shared.threadCount) threads; logging to \(options.output)")
            }
        } catch let interrupted as TrainingInterrupted {
            progress.line("\n\(interrupted)")
            Foundation.exit(interruptExitCode())
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

/// The signal that asked to stop (SIGINT from Ctrl-C, SIGTERM from a scheduler or `kill`).
nonisolated(unsafe) private var interruptSignal: Int32 = SIGINT

/// Ctrl-C or SIGTERM asks the trainer to stop at the next batch (its last finished epoch is on
/// disk); a second one ends the process at once.
func installInterruptHandler() {
    // A parent may start us with these blocked (the mask is inherited across exec): unblock them.
    var unblock = sigset_t()
    sigemptyset(&unblock)
    for sig in [SIGINT, SIGTERM] { sigaddset(&unblock, sig) }
    pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    for sig in [SIGINT, SIGTERM] {
        signal(sig) { sig in
            if Trainer.interruptRequested { _exit(128 + sig) }
            interruptSignal = sig
            Trainer.interruptRequested = true
        }
    }
}

/// The shell's exit code for the signal that stopped the run: 130 after Ctrl-C, 143 after SIGTERM.
func interruptExitCode() -> Int32 { 128 + interruptSignal }
