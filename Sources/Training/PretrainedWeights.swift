import Engine
import Foundation
import Results
import TorchCheckpoint
import Zoo

/// A backbone's trunk started from published ImageNet weights (`train --pretrained`, the study's
/// `[train] pretrained`): the file read without running it, paired tensor by tensor with the trunk.
public enum PretrainedWeights {
    /// A weights file chosen for a run: its path and SHA-256, which the run's identity and the
    /// study's manifest record.
    public typealias Source = WeightsFile

    /// `file` with its SHA-256 (the file read once); one line when it cannot be read.
    public static func source(_ file: String) throws(PretrainedLoadError) -> Source {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw PretrainedLoadError("\(file): cannot read the pretrained weights file (does it exist?)")
        }
        return Source(file: file, sha256: SHA256.hex([UInt8](data)))
    }

    /// What was loaded, for the log.
    public struct Loaded: Sendable {
        public let model: String
        public let tensors: Int
        public let ignoredHeadKeys: Int
    }

    /// Loads `source` into a throwaway `spec` trunk: the whole check, before any training starts.
    public static func check(_ source: Source, spec: BackboneSpec) throws(PretrainedLoadError) -> Loaded {
        var rng = Philox(seed: 0)
        return try load(source, into: spec.makeBackbone(rng: &rng), spec: spec)
    }

    /// Fills `backbone` (a `spec` trunk) from `source`; throws one line naming the file and the
    /// first tensor that does not fit, and changes nothing then.
    public static func load(_ source: Source, into backbone: Backbone, spec: BackboneSpec) throws(PretrainedLoadError) -> Loaded {
        guard let weights = ReferenceWeights.of(spec) else {
            throw PretrainedLoadError("\(source.file): \(spec) has no published ImageNet weights (only \(BackboneSpec.all.filter { ReferenceWeights.of($0) != nil }.map(\.description).joined(separator: ", ")) have)")
        }
        if source.file.hasSuffix(".safetensors") {
            throw PretrainedLoadError("\(source.file): a safetensors file orders its tensors by name, not by module; "
                                      + "use the torch.save file \(weights.model) publishes (\(weights.url))")
        }
        let checkpoint: TorchCheckpoint
        do { checkpoint = try TorchCheckpoint.read(contentsOf: source.file) } catch { throw PretrainedLoadError("\(error)") }
        let ours = backbone.stateDictInModuleOrder()
        let result: WeightPairing.Result
        do {
            result = try WeightPairing.pair(ours: ours.map { ($0.name, $0.tensor.shape.dims) },
                                            reference: checkpoint.tensors.map { ($0.name, $0.tensor.shape) }, weights: weights)
        } catch {
            throw PretrainedLoadError("\(source.file): \(error)")
        }
        let values = Dictionary(checkpoint.tensors.map { ($0.name, $0.tensor.values) }, uniquingKeysWith: { first, _ in first })
        let targets = Dictionary(uniqueKeysWithValues: ours.map { ($0.name, $0.tensor) })
        for pair in result.pairs {
            let v = values[pair.reference]!, t = targets[pair.ours]!
            v.withUnsafeBufferPointer { t.data.update(from: $0.baseAddress!, count: t.count) }
        }
        return Loaded(model: weights.model, tensors: result.pairs.count, ignoredHeadKeys: result.ignoredHeadKeys)
    }
}

/// Why pretrained weights were not loaded, in one line naming the file.
public struct PretrainedLoadError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
