/// An optimiser over parameter groups: `zeroGrad()`, backward, `step()`.
public protocol Optimizer: AnyObject {
    /// The groups in construction order; their hyperparameters are mutable, their parameters fixed.
    var groups: [ParameterGroup] { get }
    /// Updates every parameter that has a gradient, as the PyTorch optimiser of the same name does.
    func step()
    /// The optimiser's buffers by name (`state.<i>.<buffer>`, i counting parameters across groups
    /// as torch's `state_dict()` does), live: reading a checkpoint into them resumes the optimiser.
    var state: [String: Tensor] { get }
}

extension Optimizer {
    /// Fills every parameter's gradient with zeros, keeping the buffers for the next backward.
    public func zeroGrad() {
        for group in groups {
            for p in group.params { p.grad?.data.update(repeating: 0, count: p.count) }
        }
    }

    /// Traps if a parameter appears twice, as torch raises: it would be updated twice per step.
    func checkParamsAreUnique(_ optimizer: String) {
        let params = groups.flatMap(\.params)
        let unique = Set(params.map(ObjectIdentifier.init))
        require(unique.count == params.count, "\(optimizer): a parameter appears in more than one group or twice")
    }
}
