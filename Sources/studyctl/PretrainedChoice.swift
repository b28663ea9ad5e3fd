import Training
import Zoo

/// A `--pretrained` value: 'imagenet' (found in the library caches) or a file, checked whole
/// against the backbone before anything trains.
enum PretrainedChoice {
    static func source(_ value: String, spec: BackboneSpec) throws -> PretrainedWeights.Source {
        do {
            let file = value == "imagenet" ? try PretrainedLocator.find(spec) : value
            let source = try PretrainedWeights.source(file)
            _ = try PretrainedWeights.check(source, spec: spec)
            return source
        } catch {
            throw CLIError.badInput("error: --pretrained: \(error)")
        }
    }
}
