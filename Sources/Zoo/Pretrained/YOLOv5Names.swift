/// The names YOLOv5 v7.0 gives the tensors of yolov5n (models/yolov5n.yaml), for the zoo's
/// cspdarknet + pan-sppf detector: its layers are YOLOv5's, module for module.
///
/// backbone.layers.i → model.i (0–8), the neck's SPPF → model.9, the PAN's layers → model.10, 13,
/// 14, 17, 18, 20, 21, 23 (the others are Upsample and Concat, without tensors), Detect → model.24
/// (`heads.k` → `m.k`); BatchNorm's running statistics under torch's names.
public enum YOLOv5Names {
    /// The PAN's layers by their index in yolov5n.yaml's head.
    static let neck = ["context": 9, "lateral5": 10, "topDown4": 13, "lateral4": 14, "topDown3": 17, "down3": 18,
                       "bottomUp4": 20, "down4": 21, "bottomUp5": 23]

    /// Whether `spec` is yolov5n's architecture (any number of classes).
    public static func fits(_ spec: DetectorSpec) -> Bool { spec.backbone.kind == .cspdarknet && spec.neck == NeckSpec.panSPPF }

    /// YOLOv5's name for the zoo's tensor `name` (nil for a name outside yolov5n's layers).
    public static func yolov5(_ name: String) -> String? {
        var parts = name.split(separator: ".").map(String.init)
        guard parts.count >= 2 else { return nil }
        let head: [String]
        switch parts[0] {
        case "backbone":
            guard parts[1] == "layers", parts.count >= 3, let i = Int(parts[2]), (0...8).contains(i) else { return nil }
            head = ["model", parts[2]]
            parts.removeFirst(3)
        case "neck":
            guard let i = neck[parts[1]] else { return nil }
            head = ["model", "\(i)"]
            parts.removeFirst(2)
        case "detect":
            if parts == ["detect", "anchors"] { return "model.24.anchors" }
            guard parts[1] == "heads" else { return nil }
            head = ["model", "24", "m"]
            parts.removeFirst(2)
        default:
            return nil
        }
        if let last = parts.last { parts[parts.count - 1] = ["runningMean": "running_mean", "runningVar": "running_var"][last] ?? last }
        return (head + parts).joined(separator: ".")
    }
}
