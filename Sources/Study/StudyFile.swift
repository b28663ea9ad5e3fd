import Detection
import Results
import Training
import Zoo

/// A study: a grid of backbone × neck (× image size) cells, each trained with the same recipe on
/// the same data for `repeats` seeds, and how to pick the winner. Read from study.toml.
public struct StudyFile: Sendable {
    public var name: String
    public var title: String
    public var description: String
    public var seed: UInt64
    public var repeats: Int

    public enum Data: Sendable, Equatable {
        /// A data.yaml, absolute.
        case yaml(String)
        /// The built-in dataset.
        case shapes(train: Int, val: Int, imageSize: Int, seed: UInt64, preset: ShapesDataset.Preset)
    }
    public var data: Data

    public var epochs: Int
    public var batch: Int
    /// The nominal batch of gradient accumulation (YOLOv5: 64).
    public var nominalBatch: Int
    /// The least number of warm-up iterations (YOLOv5: 100).
    public var minWarmupIterations: Int
    public var imageSize: Int
    public var hyp: Hyperparameters
    public var optimizer: TrainingOptions.OptimizerKind
    public var cosLR: Bool
    public var patience: Int

    public var backbones: [BackboneSpec]
    public var necks: [NeckSpec]
    /// The image-size axis; `[imageSize]` when the grid has none.
    public var imageSizes: [Int]

    public var metric: Metric
    public var cost: Cost
    public var tolerance: Double

    public var formats: [String]
    public var language: String
    /// `[export] onnx`: each finished cell's best weights also as runs/<cell>/weights/best.onnx.
    public var exportONNX: Bool
    /// `[train] pretrained`: per backbone (its description), "imagenet" or an absolute file path;
    /// a backbone not in it trains from scratch.
    public var pretrained: [String: String] = [:]
    /// `[train] freeze`: the first layers that do not train (YOLOv5's --freeze; 0: none).
    public var freeze = 0

    /// The seeds of every cell: seed, seed + 1, ….
    public var seeds: [UInt64] { (0..<repeats).map { seed + UInt64($0) } }

    /// Every cell, in run order: image size, then backbone, then neck, then seed.
    public var cells: [Cell] {
        imageSizes.flatMap { size in
            backbones.flatMap { b in
                necks.flatMap { n in seeds.map { Cell(backbone: b, neck: n, imageSize: size, seed: $0, sizeAxis: imageSizes.count > 1) } }
            }
        }
    }
}

/// One training run of a study: a backbone × neck at an image size with one seed.
public struct Cell: Sendable, Hashable {
    public var backbone: BackboneSpec
    public var neck: NeckSpec
    public var imageSize: Int
    public var seed: UInt64
    /// Whether the study varies the image size (it then appears in the names).
    public var sizeAxis: Bool

    /// The run folder's name under runs/.
    public var runName: RunName {
        RunName(backbone: backbone.description, neck: neck.description, imageSize: sizeAxis ? imageSize : nil, seed: seed)
    }
    /// `<backbone>__<neck>[__<imgsz>]`: the cells a recommendation compares.
    public var group: String { runName.cell }
    /// `<group>__s<seed>`.
    public var name: String { runName.description }
}
