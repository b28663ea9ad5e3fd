import Engine
import Zoo

/// YOLOv5's `--freeze N` (train.py): the parameters of the detector's first N layers stop training.
///
/// Layers are counted as yolov5n numbers them — the backbone's layers (model.0–8 for cspdarknet),
/// then the neck's context block (SPPF or ASPP, model.9) — so `freeze = 10` is YOLOv5's backbone
/// freeze for cspdarknet, and the whole trunk plus its context block for the other backbones.
public enum Freeze {
    /// How many layers can be frozen for `spec`: its backbone's layers and the context block.
    public static func layers(_ spec: BackboneSpec) -> Int {
        var rng = Philox(seed: 0)
        return spec.makeBackbone(rng: &rng).layers.count + 1
    }

    /// Stops gradients for the first `n` layers' parameters; returns how many tensors were frozen.
    // yolov5 v7.0 train.py: freeze = [f'model.{x}.' for x in range(freeze[0])]; v.requires_grad = False
    @discardableResult
    public static func apply(_ model: Detector, first n: Int) -> Int {
        guard n > 0 else { return 0 }
        let backbone = model.backbone.layers.count
        var prefixes = (0..<min(n, backbone)).map { "backbone.layers.\($0)." }
        if n > backbone { prefixes.append("neck.context.") }
        var frozen = 0
        for (name, tensor) in model.namedParameters() where prefixes.contains(where: name.hasPrefix) {
            tensor.requiresGrad = false
            frozen += 1
        }
        return frozen
    }
}
