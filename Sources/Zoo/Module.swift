import Engine

/// A building block of a model: a `final class` whose stored properties are its parameters
/// (`Tensor`), buffers (`Tensor`s named in `bufferKeys`) and sub-modules (`Module`, optional or in
/// arrays). Parameters are found by a `Mirror` walk and named by dotted paths such as
/// `backbone.layers.3.cv1.conv.weight` — the names of the safetensors keys and of the summary
/// rows (MLX-Swift `MLXNN/Module.swift`).
public protocol Module: AnyObject {
    /// The stored `Tensor` properties that are state but not trained (BatchNorm's running
    /// statistics); every other stored `Tensor` is a parameter.
    var bufferKeys: Set<String> { get }
    /// Switches this module alone (not its children) between training and evaluation behaviour.
    func setTraining(_ training: Bool)
}

/// A module with one input and one output tensor: the blocks of a backbone's layer list.
public protocol UnaryLayer: Module {
    /// x: [N, C, H, W] → [N, C', H', W'].
    func callAsFunction(_ x: Tensor) -> Tensor
}

extension Module {
    public var bufferKeys: Set<String> { [] }
    public func setTraining(_ training: Bool) {}

    /// The direct children: tensors and modules with their property names; arrays of modules
    /// become one child per element, named `name.index`.
    private func children() -> (tensors: [(String, Tensor)], modules: [(String, any Module)]) {
        var tensors: [(String, Tensor)] = [], modules: [(String, any Module)] = []
        for child in Mirror(reflecting: self).children {
            guard let label = child.label else { continue }
            if let tensor = child.value as? Tensor {
                tensors.append((label, tensor))
            } else if let module = child.value as? any Module {
                modules.append((label, module))
            } else if let array = child.value as? [Any] {
                for (i, element) in array.enumerated() {
                    if let module = element as? any Module { modules.append(("\(label).\(i)", module)) }
                }
            }
        }
        return (tensors, modules)
    }

    /// Every module below this one, depth first in declaration order, with its dotted path
    /// (this module itself first, with the path `prefix`).
    public func namedModules(prefix: String = "") -> [(path: String, module: any Module)] {
        var result: [(path: String, module: any Module)] = [(prefix, self)]
        for (name, module) in children().modules {
            result += module.namedModules(prefix: prefix.isEmpty ? name : prefix + "." + name)
        }
        return result
    }

    /// The tensors held directly by each module below this one, with their dotted paths.
    private func namedTensors(buffers: Bool) -> [(name: String, tensor: Tensor)] {
        namedModules().flatMap { path, module in
            let keys = module.bufferKeys
            return module.children().tensors
                .filter { keys.contains($0.0) == buffers }
                .map { key, tensor in (name: path.isEmpty ? key : path + "." + key, tensor: tensor) }
        }
    }

    /// The trained tensors, named by module path (`neck.sppf.cv1.conv.weight`).
    public func namedParameters() -> [(name: String, tensor: Tensor)] { namedTensors(buffers: false) }

    /// The non-trained state (BatchNorm running statistics), named by module path.
    public func namedBuffers() -> [(name: String, tensor: Tensor)] { namedTensors(buffers: true) }

    /// Parameters and buffers in PyTorch's `state_dict()` order: each module's own parameters, then
    /// its own buffers, then its children, depth first (what published weights are paired against).
    public func stateDictInModuleOrder() -> [(name: String, tensor: Tensor)] {
        namedModules().flatMap { path, module in
            let keys = module.bufferKeys, own = module.children().tensors
            return (own.filter { !keys.contains($0.0) } + own.filter { keys.contains($0.0) })
                .map { key, tensor in (name: path.isEmpty ? key : path + "." + key, tensor: tensor) }
        }
    }

    /// Parameters and buffers together, as they are saved.
    public func stateDict() -> [(name: String, tensor: Tensor)] { namedParameters() + namedBuffers() }

    /// The parameters, for an optimiser.
    public func parameters() -> [Tensor] { namedParameters().map(\.tensor) }

    /// The number of parameter elements (trainable or frozen).
    public var parameterCount: Int { parameters().reduce(0) { $0 + $1.count } }

    /// The number of parameter elements that will receive gradients.
    public var trainableParameterCount: Int { parameters().filter(\.requiresGrad).reduce(0) { $0 + $1.count } }

    /// Puts every module below this one in training mode (batch statistics) or, with `false`,
    /// evaluation mode (running statistics). Returns `self` for chaining.
    @discardableResult
    public func train(_ training: Bool = true) -> Self {
        for (_, module) in namedModules() { module.setTraining(training) }
        return self
    }

    /// Evaluation mode: `train(false)`.
    @discardableResult
    public func eval() -> Self { train(false) }

    /// Sets `requiresGrad` on every parameter (freezing with `false`).
    public func setRequiresGrad(_ on: Bool) {
        for p in parameters() { p.requiresGrad = on }
    }
}
