import Detection
import Foundation

/// Tests/DetectionTests/Fixtures/reference_metrics.json, written by tools/reference_metrics.py from
/// YOLOv5 v7.0's own `process_batch` / `ap_per_class` / `ConfusionMatrix` and pycocotools' COCOeval.
struct ReferenceFixture: Decodable {
    struct Image: Decodable {
        var width: Int
        var height: Int
        /// `[class, cx, cy, w, h]`, normalised.
        var labels: [[Double]]
        /// `[class, cx, cy, w, h, conf]`, normalised.
        var predictions: [[Double]]
    }

    struct YOLOv5: Decodable {
        var tpPerThreshold: [Int]
        var confusionMatrix: [[Int]]
        var classes: [Int]?
        var precision: [Double]?
        var recall: [Double]?
        var f1: [Double]?
        var ap50: [Double]?
        var ap5095: [Double]?
        var curveIndices: [Int]?
        var precisionCurve: [[Double]]?
        var recallCurve: [[Double]]?
        var f1Curve: [[Double]]?
        var prCurve: [[Double]]?
        var mp: Double
        var mr: Double
        var map50: Double
        var map5095: Double
        var fitness: Double
        var instances: [Int]
    }

    struct COCOClass: Decodable {
        var ap5095: Double
        var ap50: Double
    }

    struct COCO: Decodable {
        var map5095: Double
        var map50: Double
        var map75: Double
        var mar100: Double
        var perClass: [String: COCOClass]
    }

    struct Scenario: Decodable {
        var name: String
        var nc: Int
        var images: [Image]
        var yolov5: YOLOv5
        var yolov5UnstableTiesDiffer: Bool
        var coco: COCO

        /// The scenario's images as studyctl reads them from files.
        var annotated: [AnnotatedImage] {
            images.enumerated().map { i, image in
                AnnotatedImage(
                    path: "image\(i).jpg", width: image.width, height: image.height,
                    labels: image.labels.map {
                        YOLOLabel(classID: Int($0[0]), box: NormalizedBox(cx: $0[1], cy: $0[2], w: $0[3], h: $0[4]))
                    },
                    predictions: image.predictions.map {
                        YOLOPrediction(
                            classID: Int($0[0]), box: NormalizedBox(cx: $0[1], cy: $0[2], w: $0[3], h: $0[4]),
                            confidence: $0[5])
                    })
            }
        }
    }

    var versions: [String: String]
    var scenarios: [Scenario]

    static let shared: ReferenceFixture = {
        guard
            let url = Bundle.module.url(
                forResource: "reference_metrics", withExtension: "json", subdirectory: "Fixtures"),
            let data = try? Data(contentsOf: url)
        else {
            fatalError("Fixtures/reference_metrics.json is missing: run tools/reference_metrics.py")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(ReferenceFixture.self, from: data)
        } catch {
            fatalError("Fixtures/reference_metrics.json: \(error)")
        }
    }()

    static func scenario(_ name: String) -> Scenario {
        guard let scenario = shared.scenarios.first(where: { $0.name == name }) else {
            fatalError("no scenario \(name) in the fixture")
        }
        return scenario
    }

    static let names = ["mixed", "ties", "perfect", "no_predictions", "crowded", "sloppy"]
}

/// The largest absolute difference between two equally long arrays (infinity if the lengths differ).
func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}
