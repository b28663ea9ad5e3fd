import ArgumentParser
import Engine
import Foundation
import Zoo

extension StudyCtl {
    /// `studyctl models`: the zoo's detectors (or classifiers) with their size.
    struct Models: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the model zoo: every backbone × neck with parameters and GFLOPs.",
            discussion: """
                GFLOPs are 2 × multiply-accumulates of one image, counted as YOLOv5's model \
                summary counts them (thop). Backbones take a width suffix (mobilenetv2@0.5), \
                pan-aspp takes dilation rates (pan-aspp@1,2,3). With --backbone and --neck, \
                prints that model's per-layer table. With --classifier, lists the ImageNet \
                classifier variant of each backbone (1000 classes, the reference head), whose \
                parameter counts equal torchvision's, timm's and the official ShuffleNetV1's.
                """
        )

        @Option(help: "Number of classes of the detectors.")
        var nc: Int = 80

        @Option(help: "Square image size for GFLOPs (a multiple of 32).")
        var imgsz: Int = 640

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        @Flag(help: "List the ImageNet classifier variants instead of the detectors.")
        var classifier = false

        @Option(help: "With --neck: print this backbone's detector layer by layer.")
        var backbone: String?

        @Option(help: "With --backbone: the neck of the model to print layer by layer.")
        var neck: String?

        func validate() throws {
            guard nc >= 1, nc <= DetectorSpec.maxClasses else { throw ValidationError(String(describing: ZooError.invalidClassCount(nc))) }
            do {
                try DetectorSpec.validate(imageSize: imgsz)
                if backbone != nil || neck != nil {
                    guard let backbone, let neck else { throw ValidationError("--backbone and --neck go together") }
                    _ = try DetectorSpec(backbone: backbone, neck: neck, classes: nc)
                }
            } catch let error as ZooError {
                throw ValidationError(error.description)
            }
        }

        func run() throws {
            if let backbone, let neck {
                let spec = try DetectorSpec(backbone: backbone, neck: neck, classes: nc)
                let summary = ModelSummary(Detector(spec: spec), imageSize: imgsz)
                print(json ? try encode(LayerListing(model: spec.description, summary: summary)) : "\(spec)\n" + summary.table)
                return
            }
            let rows: [Row]
            if classifier {
                rows = BackboneSpec.all.compactMap { spec in
                    var rng = Philox(seed: 0)
                    guard let model = spec.makeClassifier(rng: &rng) else { return nil }
                    let s = ModelSummary(model, imageSize: imgsz)
                    return Row(name: spec.description, backbone: spec.description, neck: nil, classes: 1000,
                               parameters: s.parameters, trainable: s.trainableParameters, gflops: s.gflops, imageSize: imgsz)
                }
            } else {
                rows = DetectorSpec.all(classes: nc).map { spec in
                    let s = ModelSummary(Detector(spec: spec), imageSize: imgsz)
                    return Row(name: spec.description, backbone: spec.backbone.description, neck: spec.neck.description,
                               classes: nc, parameters: s.parameters, trainable: s.trainableParameters, gflops: s.gflops, imageSize: imgsz)
                }
            }
            if json {
                print(try encode(rows))
                return
            }
            print("model".padding(toLength: 34, withPad: " ", startingAt: 0) + "     params  GFLOPs@\(imgsz)")
            for r in rows {
                print(r.name.padding(toLength: 34, withPad: " ", startingAt: 0) + String(format: "%11d %9.3f", r.parameters, r.gflops))
            }
        }

        /// One model in the listing.
        struct Row: Encodable {
            let name: String, backbone: String, neck: String?
            let classes: Int, parameters: Int, trainable: Int, gflops: Double
            let imageSize: Int
        }

        /// One model's per-layer table.
        struct LayerListing: Encodable {
            struct Layer: Encodable { let path: String, type: String, parameters: Int, gflops: Double }
            let model: String, parameters: Int, trainable: Int, gflops: Double, imageSize: Int
            let layers: [Layer]
            init(model: String, summary: ModelSummary) {
                (self.model, parameters, trainable) = (model, summary.parameters, summary.trainableParameters)
                (gflops, imageSize) = (summary.gflops, summary.imageSize)
                layers = summary.rows.map { Layer(path: $0.path, type: $0.type, parameters: $0.parameters, gflops: $0.gflops) }
            }
        }

        func encode<T: Encodable>(_ value: T) throws -> String {
            return try prettyJSON(value, snakeCaseKeys: true)
        }
    }
}
