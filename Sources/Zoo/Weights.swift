import Engine

extension Module {
    /// The parameters and buffers by module path, as they are saved.
    private var stateByName: [String: Tensor] {
        Dictionary(stateDict().map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first })
    }

    /// Saves every parameter and buffer to a `.safetensors` file, named by module path
    /// (`backbone.layers.0.conv.weight`), through a temporary file renamed into place.
    public func saveWeights(to path: String, metadata: [String: String] = [:]) throws(SafetensorsError) {
        try Safetensors.write(stateByName, metadata: metadata, to: path)
    }

    /// Loads a `.safetensors` file written by `saveWeights` into this module's parameters and
    /// buffers. The file must hold exactly this module's tensor names and shapes; otherwise
    /// nothing is loaded and the error names every missing, unexpected and mis-shaped tensor.
    public func loadWeights(from path: String) throws(SafetensorsError) {
        try SafetensorsFile(path: path).load(into: stateByName)
    }
}
