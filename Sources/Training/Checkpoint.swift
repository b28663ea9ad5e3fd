import Engine
import Foundation
import Results

/// Everything needed to continue a run bit for bit after its last finished epoch: model, optimiser
/// and EMA tensors, counters, and the results so far. One safetensors file, written under a
/// temporary name and renamed; no timings (those are in timing.json), so it is the same bytes on
/// every machine.
public struct Checkpoint {
    public static let magic = "studyctl-checkpoint"
    public static let version = "1"

    /// The run this checkpoint belongs to (`TrainingOptions.identity`) and how it reads in words.
    public var identity: String
    public var runDescription: String
    /// The last finished epoch (0-based).
    public var epoch: Int
    public var bestFitness: Double
    public var bestEpoch: Int
    /// EarlyStopping's own best (it counts ties as improvements, unlike best.safetensors).
    public var stopperBestFitness: Double
    public var stopperBestEpoch: Int
    public var emaUpdates: Int
    public var lastOptimizerStep: Int
    public var accumulate: Int
    public var momentum: [Double]
    public var rows: [EpochResult]
    public var autoAnchorMessage: String
    /// Set when the run stopped inside an epoch (SIGTERM, Ctrl-C): where in `epoch + 1` it stopped.
    public var partial: PartialEpoch?
    public var tensors: [String: Tensor]

    /// An epoch stopped right after an optimiser step (no gradient is pending): the batch to
    /// continue from and the epoch's running means so far, so the rest of it gives the same bits.
    public struct PartialEpoch: Codable, Sendable, Equatable {
        public var epoch: Int
        public var nextBatch: Int
        public var box: Double, obj: Double, cls: Double
        public var images: Int
    }

    struct Meta: Codable {
        var identity: String, runDescription: String, epoch: Int, bestFitness: Double, bestEpoch: Int
        var stopperBestFitness: Double, stopperBestEpoch: Int, emaUpdates: Int, lastOptimizerStep: Int
        var accumulate: Int, momentum: [Double], rows: [EpochResult], autoAnchorMessage: String
        var partial: PartialEpoch?
    }

    public func write(to path: String) throws(SafetensorsError) {
        let meta = Meta(identity: identity, runDescription: runDescription, epoch: epoch, bestFitness: bestFitness,
                        bestEpoch: bestEpoch, stopperBestFitness: stopperBestFitness, stopperBestEpoch: stopperBestEpoch,
                        emaUpdates: emaUpdates, lastOptimizerStep: lastOptimizerStep, accumulate: accumulate,
                        momentum: momentum, rows: rows, autoAnchorMessage: autoAnchorMessage, partial: partial)
        let json = String(decoding: ResultFiles.json(meta), as: UTF8.self)
        try Safetensors.write(tensors, metadata: ["format": Self.magic, "version": Self.version, "state": json], to: path)
    }

    /// Reads a checkpoint; a file that is not one says so with a hint.
    public static func read(_ path: String) throws(CheckpointError) -> Checkpoint {
        let file: SafetensorsFile
        do {
            file = try SafetensorsFile(path: path)
        } catch {
            throw CheckpointError(path: path, "cannot read the checkpoint: \(error)")
        }
        guard file.metadata["format"] == magic else {
            throw CheckpointError(path: path, "not a studyctl checkpoint (bad magic) — delete the folder's checkpoint/ to start over")
        }
        guard file.metadata["version"] == version else {
            throw CheckpointError(path: path, "checkpoint version \(file.metadata["version"] ?? "?") is not \(version): written by another studyctl; train into a new --output")
        }
        guard let state = file.metadata["state"], let meta = try? JSONDecoder().decode(Meta.self, from: Data(state.utf8)) else {
            throw CheckpointError(path: path, "the checkpoint's state is unreadable — delete checkpoint/ to start over")
        }
        let tensors: [String: Tensor]
        do {
            tensors = try file.tensors()
        } catch {
            throw CheckpointError(path: path, "cannot read the checkpoint's tensors: \(error)")
        }
        return Checkpoint(identity: meta.identity, runDescription: meta.runDescription, epoch: meta.epoch,
                          bestFitness: meta.bestFitness, bestEpoch: meta.bestEpoch, stopperBestFitness: meta.stopperBestFitness,
                          stopperBestEpoch: meta.stopperBestEpoch, emaUpdates: meta.emaUpdates,
                          lastOptimizerStep: meta.lastOptimizerStep, accumulate: meta.accumulate, momentum: meta.momentum,
                          rows: meta.rows, autoAnchorMessage: meta.autoAnchorMessage, partial: meta.partial,
                          tensors: tensors)
    }
}

/// A checkpoint that cannot be used.
public struct CheckpointError: Error, CustomStringConvertible {
    public var path: String
    public var message: String
    public init(path: String, _ message: String) { (self.path, self.message) = (path, message) }
    public var description: String { "\(path): \(message)" }
}
