import Foundation

/// A tensor read from a checkpoint: its shape, its stored dtype, and its values as contiguous row-major Float32.
public struct TorchTensor: Sendable, Equatable {
    public let shape: [Int]
    /// The stored element type, as torch names it without "torch." ("float16", "int64", …).
    public let dtype: String
    public let values: [Float]
    /// Saved as an nn.Parameter (a weight or bias) rather than a buffer or plain tensor.
    public let isParameter: Bool
}

/// A PyTorch checkpoint's tensors, read without running anything the file contains.
/// Why: a .pt file is a pickle program; this reads only the data of a state dict or module tree and
/// refuses every global that is not on `AllowList`, as torch.load(weights_only=True) does.
public struct TorchCheckpoint: Sendable {
    /// Which of torch.save's formats the file is in.
    public enum Format: Sendable, Equatable {
        /// torch ≥ 1.6: a zip archive whose records sit in one folder (its name varies).
        case zip(archive: String)
        /// `_use_new_zipfile_serialization=False`: a sequence of pickles, then the raw storages.
        case legacy
    }

    /// Where the tensors were found, for name maps.
    public enum Layout: Sendable, Equatable {
        /// The file is a state dict: `{name: tensor}` (torchvision's and timm's published weights).
        case stateDict
        /// A dict wrapping a state dict under `key` (`{"state_dict": …, "epoch": 3}`).
        case wrappedStateDict(key: String)
        /// A pickled nn.Module of class `className`, at the top (`key` nil) or under `key` (YOLOv5: "model").
        case moduleTree(key: String?, className: String)
    }

    public let path: String
    public let format: Format
    public let layout: Layout
    /// Every tensor, named as `state_dict()` names it, in the file's order.
    public let tensors: [(name: String, tensor: TorchTensor)]
    /// The top-level dict's keys (empty when the file is not a dict).
    public let topLevelKeys: [String]
    /// The top-level keys that hold a state dict or a module (YOLOv5's "model" and "ema"); pass one as `key`.
    public let tensorKeys: [String]

    /// The tensor named `name`, if any.
    public subscript(name: String) -> TorchTensor? {
        tensors.first { $0.name == name }?.tensor
    }

    /// Reads a checkpoint; `key` picks a top-level entry (e.g. "ema") instead of the default choice.
    /// - Throws: `TorchCheckpointError`, one line naming the file and what is wrong.
    public static func read(contentsOf path: String, key: String? = nil) throws -> TorchCheckpoint {
        do {
            return try readUnlabelled(path: path, key: key)
        } catch let p as CheckpointProblem {
            throw TorchCheckpointError(path: path, kind: p.kind, message: p.message)
        }
    }

    /// The elements read at most across all tensors: 4 per byte of file plus 16 Mi, because a hostile
    /// file could otherwise expand one stored element into billions with zero strides.
    static func elementBudget(fileSize: Int) -> Int {
        fileSize.multipliedReportingOverflow(by: 4).partialValue + (1 << 24)
    }

    private static func readUnlabelled(path: String, key: String?) throws -> TorchCheckpoint {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw CheckpointProblem(.io, "cannot be opened (\(error.localizedDescription))")
        }
        let fileSize = bytes.count
        guard fileSize > 0 else { throw CheckpointProblem(.truncated, "truncated: the file is empty") }

        let loaded: LoadedPickle
        if bytes.starts(with: [0x50, 0x4B]) {  // "PK": a zip archive
            loaded = try ZipArchiveReader.load(bytes)
        } else {
            if LegacyFormat.isTar(bytes) {
                throw CheckpointProblem(
                    .unsupported,
                    "a tar-format checkpoint (the earliest torch versions), not read here; "
                        + "re-save it with torch ≥ 1.6: torch.save(torch.load(f), \"new.pt\")")
            }
            loaded = try LegacyFormat.load(bytes)
        }

        let (layout, references) = try CheckpointLayout.locate(loaded.root, key: key)
        let tensors = try materialize(references, from: loaded, fileSize: fileSize)
        return TorchCheckpoint(
            path: path, format: loaded.format, layout: layout, tensors: tensors,
            topLevelKeys: loaded.root.asDict?.stringKeys ?? [], tensorKeys: CheckpointLayout.tensorKeys(loaded.root))
    }

    /// The tensors' values, read from their storages within the file's element budget.
    package static func materialize(
        _ references: NamedReferences, from loaded: LoadedPickle, fileSize: Int
    ) throws -> [(name: String, tensor: TorchTensor)] {
        var budget = elementBudget(fileSize: fileSize)
        var tensors: [(name: String, tensor: TorchTensor)] = []
        tensors.reserveCapacity(references.count)
        for (name, ref) in references {
            let count = try StorageDecoding.elementCount(ref.shape, name: name)
            guard count <= budget else {
                throw CheckpointProblem(
                    .outOfBounds,
                    "tensor \(name) (size \(ref.shape)) takes more elements than a \(fileSize)-byte file holds")
            }
            budget -= count
            let bytes: ArraySlice<UInt8>
            do {
                bytes = try loaded.storageBytes(ref.storage)
            } catch let p as CheckpointProblem {
                throw CheckpointProblem(p.kind, "tensor \(name): \(p.message)")
            }
            let values = try StorageDecoding.values(
                of: ref, name: name, storageBytes: bytes, bigEndian: loaded.bigEndian)
            tensors.append(
                (
                    name,
                    TorchTensor(
                        shape: ref.shape, dtype: ref.storage.dtype.rawValue, values: values,
                        isParameter: ref.isParameter)
                ))
        }
        return tensors
    }
}
