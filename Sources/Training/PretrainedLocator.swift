import Foundation
import Zoo

/// Finds a backbone's published ImageNet weights where its library caches downloads, by the
/// published file names; studyctl itself never downloads.
public enum PretrainedLocator {
    /// The folders searched for `weights`, in order.
    public static func folders(_ weights: ReferenceWeights, environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let cache = environment["XDG_CACHE_HOME"] ?? home + "/.cache"
        switch weights.cache {
        case .torchHub:
            // torch.hub.get_dir(): $TORCH_HOME/hub, else $XDG_CACHE_HOME/torch/hub
            return [(environment["TORCH_HOME"] ?? cache + "/torch") + "/hub/checkpoints"]
        case .huggingFace(let repo):
            // huggingface_hub: $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub
            let hub = environment["HF_HUB_CACHE"] ?? (environment["HF_HOME"] ?? cache + "/huggingface") + "/hub"
            let snapshots = hub + "/models--timm--\(repo)/snapshots"
            let found = (try? FileManager.default.contentsOfDirectory(atPath: snapshots))?.sorted() ?? []
            return found.isEmpty ? [snapshots + "/<revision>"] : found.map { snapshots + "/" + $0 }
        case .none:
            return []
        }
    }

    /// The first published file found for `spec`, or an error saying which file, where it is
    /// published and where to put it.
    public static func find(_ spec: BackboneSpec, environment: [String: String] = ProcessInfo.processInfo.environment) throws(PretrainedLoadError) -> String {
        guard let weights = ReferenceWeights.of(spec) else {
            throw PretrainedLoadError("\(spec) has no published ImageNet weights; train it from scratch or name a file")
        }
        let folders = folders(weights, environment: environment)
        for folder in folders {
            for file in weights.files where FileManager.default.fileExists(atPath: folder + "/" + file) { return folder + "/" + file }
        }
        guard let file = weights.files.first, let folder = folders.first else {
            throw PretrainedLoadError("\(spec): \(weights.model)'s weights are not cached by a library; download them from "
                                      + "\(weights.url) and name the file ([train.pretrained] \(spec.kind.rawValue) = \"FILE\", or --pretrained FILE)")
        }
        throw PretrainedLoadError("\(spec): \(file) (\(weights.model)) not found in \(folder); download it from \(weights.url) "
                                  + "and put it there (studyctl never downloads)")
    }
}
