import ArgumentParser
import Detection
import Engine
import Foundation
import Results
import Training
import Zoo

extension StudyCtl {
    /// `studyctl train`: one backbone × neck trained from scratch as YOLOv5 v7.0's train.py trains.
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train one detector (backbone × neck) from scratch with YOLOv5 v7.0's recipe.",
            discussion: """
                Trains on a YOLO-format dataset (data.yaml: path, train, val, names) or on the built-in \
                dataset 'shapes' (generated into DIR/shapes the first time). The recipe is YOLOv5 v7.0's \
                train.py with hyp.scratch-low.yaml: mosaic, random_perspective, HSV and flip augmentation; \
                SGD (Nesterov, momentum 0.937) over three parameter groups with weight decay scaled to a \
                nominal batch of 64 and gradient accumulation; 3 warm-up epochs; linear (or --cos-lr) \
                decay to lr0·lrf; gradient clipping at 10; EMA weights, validated after every epoch on \
                the val split (rect batches of 2× batch, conf 0.001, IoU 0.6). Every random draw comes \
                from --seed, the epoch and the image, so the same command gives the same bits on any \
                thread count.

                Writes DIR/results.csv (YOLOv5's columns), curves.json, summary.json, train.log, \
                weights/last.safetensors and best.safetensors (EMA weights, best by fitness = \
                0.1·mAP50 + 0.9·mAP50-95), and checkpoint/ after every epoch; this machine's \
                measurements go to timing.json and latency.json (batch-1, fused). Running the same \
                command on the same DIR resumes after the last finished epoch (also after kill -9) and \
                ends with the same files as an uninterrupted run, timing.json aside; Ctrl-C stops at \
                the next batch and exits 130. \
                A DIR holding another run's checkpoint is refused.

                Bad input exits 2 with one line naming the file, line or key: a missing or malformed \
                data.yaml, an empty split, a class id ≥ nc, an image size not a multiple of 32, an \
                unknown backbone, neck or hyperparameter. Unreadable images and bad label lines make \
                that image ignored with a warning, as YOLOv5 does.

                Examples:
                  studyctl train --data shapes --backbone cspdarknet --neck pan-sppf --epochs 30 --output runs/yolov5n
                  studyctl train --data data.yaml --backbone mobilenetv3-small --neck pan-aspp --cos-lr --output runs/mnv3
                """
        )

        @Option(help: "data.yaml of a YOLO-format dataset, or 'shapes' for the built-in one.")
        var data: String

        @Option(help: "Backbone (studyctl models lists them): cspdarknet, mobilenetv1, mobilenetv2, mobilenetv3-small, mobilenetv3-large, ghostnet, shufflenetv1, shufflenetv2, mnasnet; widths as name@0.5.")
        var backbone: String

        @Option(help: "Neck: pan-sppf (YOLOv5's) or pan-aspp[@rates], e.g. pan-aspp@1,2,3.")
        var neck: String = "pan-sppf"

        @Option(help: "Epochs to train.")
        var epochs: Int = 30

        @Option(help: "Images per batch (gradients accumulate to --nbs as YOLOv5 does).")
        var batch: Int = 16

        @Option(help: "Warm-up lasts at least this many iterations, whatever warmup_epochs gives (YOLOv5: 100).")
        var warmupMinIters: Int = 100

        @Option(help: "Nominal batch: one optimiser step per about nbs images (YOLOv5: 64); a short run takes more steps with a smaller one.")
        var nbs: Int = 64

        @Option(help: "Training image size in pixels, a multiple of 32.")
        var imgsz: Int = 160

        @Option(help: "Seed of the initial weights and of every augmentation draw.")
        var seed: UInt64 = 0

        @Option(help: "A hyp.yaml whose keys override hyp.scratch-low.yaml.")
        var hyp: String?

        @Option(name: .customLong("set"), parsing: .upToNextOption, help: "Hyperparameter overrides key=value, e.g. --set lr0=0.02 mosaic=0.5.")
        var overrides: [String] = []

        @Flag(name: .customLong("cos-lr"), help: "Cosine learning-rate decay instead of linear.")
        var cosLR = false

        @Option(help: "Stop after this many epochs without a better fitness (0: never).")
        var patience: Int = 100

        @Option(help: "SGD or AdamW (set lr0, e.g. --set lr0=0.001, for AdamW).")
        var optimizer: OptimizerChoice = .sgd

        @Option(help: "Keep the resized images in memory: auto (when they take under a quarter of RAM), ram, or none.")
        var cache: TrainingData.Cache = .auto

        @Option(help: "Images of the built-in dataset: train count.")
        var synthTrain: Int = 500

        @Option(help: "Images of the built-in dataset: val count.")
        var synthVal: Int = 100

        @Option(help: "Built-in dataset preset: hard (8 classes, clutter, occlusion) or easy (4 classes, large shapes on flat backgrounds).")
        var synthPreset: ShapesDataset.Preset = .hard

        @Option(help: "Start the backbone from published ImageNet weights: a torch.save file, or 'imagenet' to find the reference's file where torchvision or timm caches it (studyctl never downloads).")
        var pretrained: String?

        @Option(help: "Start the whole detector from a YOLOv5 v7.0 checkpoint (yolov5n.pt; cspdarknet + pan-sppf), as train.py --weights: Detect's output layers are re-initialised when the class count differs.")
        var weights: String?

        @Option(help: "Freeze the first N layers, as YOLOv5's --freeze (10: cspdarknet's backbone and SPPF).")
        var freeze: Int = 0

        @OptionGroup var threads: ThreadsOption

        @Option(help: "Run folder: results, weights, checkpoint, log.")
        var output: String

        @Flag(help: "Continue the run in --output (also the default when its checkpoint matches this command).")
        var resume = false

        func validate() throws {
            guard epochs >= 1, epochs <= 10_000 else { throw ValidationError("--epochs must be from 1 to 10000, got \(epochs)") }
            guard batch >= 1, batch <= 1024 else { throw ValidationError("--batch must be from 1 to 1024, got \(batch)") }
            guard nbs >= 1, nbs <= 4096 else { throw ValidationError("--nbs must be from 1 to 4096, got \(nbs)") }
            guard warmupMinIters >= 0, warmupMinIters <= 1_000_000 else {
                throw ValidationError("--warmup-min-iters must be from 0 to 1000000, got \(warmupMinIters)")
            }
            guard pretrained == nil || weights == nil else { throw ValidationError("--pretrained and --weights start from different weights: give one") }
            guard freeze >= 0 else { throw ValidationError("--freeze must be 0 or more, got \(freeze)") }
            guard patience >= 0 else { throw ValidationError("--patience must be 0 or more, got \(patience)") }
            guard synthTrain >= 1, synthVal >= 1, synthTrain <= 1_000_000, synthVal <= 1_000_000 else {
                throw ValidationError("--synth-train and --synth-val must be from 1 to 1000000")
            }
            do { try DetectorSpec.validate(imageSize: imgsz) } catch { throw ValidationError("--imgsz: \(error)") }
        }

        func run() throws {
            threads.apply()
            // Before the built-in dataset is written: a --pretrained that cannot be used leaves nothing behind.
            let source = try pretrained.map { value in
                let spec: BackboneSpec
                do { spec = try BackboneSpec(parsing: backbone) } catch { throw CLIError.badInput("error: \(error)") }
                return try PretrainedChoice.source(value, spec: spec)
            }
            let dataFile = try prepareData()
            let yaml = try inputProblem { () throws(InputProblem) in try DataYAML.load(dataFile) }
            var hyperparameters = Hyperparameters()
            try inputProblem { () throws(InputProblem) in
                if let hyp { try hyperparameters.apply(yamlFile: hyp) }
                try hyperparameters.apply(overrides: overrides)
            }
            let spec: DetectorSpec
            do {
                spec = try DetectorSpec(backbone: backbone, neck: neck, classes: yaml.names.count)
            } catch {
                throw CLIError.badInput("error: \(error)")
            }
            var options = TrainingOptions(spec: spec, output: output)
            (options.epochs, options.batch, options.imageSize, options.seed) = (epochs, batch, imgsz, seed)
            options.nominalBatch = nbs
            options.minWarmupIterations = warmupMinIters
            (options.hyp, options.cosLR, options.patience) = (hyperparameters, cosLR, patience)
            options.optimizer = optimizer == .sgd ? .sgd : .adamW
            options.pretrained = source
            guard freeze <= Freeze.layers(spec.backbone) else {
                throw CLIError.badInput("error: --freeze \(freeze): \(spec.backbone) has \(Freeze.layers(spec.backbone)) layers to freeze (its backbone's and the context block)")
            }
            options.freeze = freeze
            if let weights {
                do {
                    let file = try PretrainedWeights.source(weights)
                    _ = try YOLOv5Weights.check(file, spec: spec)
                    options.yolov5Weights = file
                } catch {
                    throw CLIError.badInput("error: --weights: \(error)")
                }
            }
            try TrainCommand(options: options, yaml: yaml, cache: cache, resume: resume).run()
        }

        /// The data.yaml to read: the given one, or the built-in dataset generated into DIR/shapes.
        private func prepareData() throws -> String {
            guard data == "shapes" else { return data }
            let folder = output + "/shapes"
            let yaml = folder + "/data.yaml"
            if FileManager.default.fileExists(atPath: yaml) { return yaml }
            print("Generating the built-in dataset 'shapes' (\(synthPreset.rawValue): \(synthTrain) train, \(synthVal) val, \(imgsz) px, seed \(seed)) in \(folder)")
            try ShapesDataset.write(to: folder, train: synthTrain, val: synthVal, imageSize: imgsz, seed: seed, preset: synthPreset)
            return yaml
        }
    }

    enum OptimizerChoice: String, ExpressibleByArgument, CaseIterable {
        case sgd = "SGD", adamw = "AdamW"
        init?(argument: String) {
            switch argument.lowercased() {
            case "sgd": self = .sgd
            case "adamw": self = .adamw
            default: return nil
            }
        }
    }

}

extension ShapesDataset.Preset: ExpressibleByArgument {}
extension TrainingData.Cache: ExpressibleByArgument {}

/// Runs `body`, turning an input problem into a one-line bad-input error.
func inputProblem<T>(_ body: () throws(InputProblem) -> T) throws -> T {
    do {
        return try body()
    } catch {
        throw CLIError.badInput("error: \(error)")
    }
}
