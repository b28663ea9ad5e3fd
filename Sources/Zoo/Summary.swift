import Foundation
import Engine

/// A model's size: parameters (total and trainable), GFLOPs at an image size, and a per-layer
/// table — YOLOv5's `model_info` and `parse_model` printout.
///
/// GFLOPs are 2 × MACs of one image, counted as YOLOv5 counts them with thop 0.1.1 (see
/// `MACCounter`), measured by a forward pass of a zero image in evaluation mode.
public struct ModelSummary: Sendable {
    /// One row of the table: a layer (a module two names below the model, e.g. `backbone.layers.3`
    /// or `neck.lateral5`), or a module's own parameters and work outside such layers.
    public struct Row: Sendable {
        public let path: String
        public let type: String
        public let parameters: Int
        public let gflops: Double
    }

    public let parameters: Int
    public let trainableParameters: Int
    public let imageSize: Int
    public let gflops: Double
    public let rows: [Row]

    /// Summarises `model`, running `forward` on a [1, 3, imageSize, imageSize] zero image.
    /// BatchNorm modes are restored afterwards, so the model's running statistics are untouched.
    public init(_ model: any Module, imageSize: Int, forward: (Tensor) -> Void) {
        let norms = model.namedModules().compactMap { $0.module as? BatchNorm2d }
        let modes = norms.map(\.training)
        model.eval()
        let counter = MACCounter()
        Autograd.withoutGrad {
            counter.counting { forward(Tensor(zeros: [1, 3, imageSize, imageSize])) }
        }
        for (bn, mode) in zip(norms, modes) { bn.setTraining(mode) }

        parameters = model.parameterCount
        trainableParameters = model.trainableParameterCount
        self.imageSize = imageSize
        gflops = 2 * Double(counter.total) / 1e9
        var rows: [Row] = []
        for (path, module) in model.namedModules() {
            let levels = path.split(separator: ".").filter { Int($0) == nil }.count
            let type = String(describing: Swift.type(of: module))
            if levels == 2 {
                let macs = module.namedModules().reduce(0) { $0 + counter.macs(of: $1.module) }
                rows.append(Row(path: path, type: type, parameters: module.parameterCount, gflops: 2 * Double(macs) / 1e9))
            } else if levels < 2 {
                let own = module.namedParameters().filter { !$0.name.contains(".") }.reduce(0) { $0 + $1.tensor.count }
                let macs = counter.macs(of: module)
                if own > 0 || macs > 0 {
                    rows.append(Row(path: path.isEmpty ? "(model)" : path, type: type, parameters: own, gflops: 2 * Double(macs) / 1e9))
                }
            }
        }
        self.rows = rows
    }

    /// A detector's summary at `imageSize` (a multiple of 32).
    public init(_ detector: Detector, imageSize: Int) {
        self.init(detector as any Module, imageSize: imageSize) { _ = detector($0) }
    }

    /// A classifier's summary at `imageSize`.
    public init(_ classifier: ImageClassifier, imageSize: Int) {
        self.init(classifier as any Module, imageSize: imageSize) { _ = classifier($0) }
    }

    /// The per-layer table as text, YOLOv5 style, with a total line.
    public var table: String {
        var lines = ["  #  " + "layer".padding(toLength: 24, withPad: " ", startingAt: 0)
            + "type".padding(toLength: 18, withPad: " ", startingAt: 0) + "     params   GFLOPs"]
        for (i, r) in rows.enumerated() {
            lines.append(String(format: "%3d  ", i) + r.path.padding(toLength: 24, withPad: " ", startingAt: 0)
                + r.type.padding(toLength: 18, withPad: " ", startingAt: 0)
                + String(format: "%11d %8.3f", r.parameters, r.gflops))
        }
        lines.append(String(format: "%d parameters, %d trainable, %.3f GFLOPs at %d px", parameters, trainableParameters, gflops, imageSize))
        return lines.joined(separator: "\n")
    }
}
