import Detection
import Foundation
import Results

/// A validation image at the training size with its labels and what detect.py would show of one
/// epoch's weights: what the run folder writes as the report's gallery.
public struct GallerySample {
    public var image: RGBImage
    /// The dataset image it shows.
    public var path: String
    public var labels: [YOLOLabel]
    public var detections: [YOLOPrediction]

    /// How many of the first validation images the gallery shows.
    public static let count = 8
    /// detect.py's default confidence threshold, the one its detections are cut at.
    public static let confidence = 0.25

    /// The gallery's record of these samples, their PNGs named `gallery/<k>.png`.
    public static func gallery(_ samples: [GallerySample], epoch: Int, names: [String]) -> Gallery {
        func box(_ b: NormalizedBox, _ classID: Int, _ confidence: Double?) -> Gallery.Box {
            Gallery.Box(classID: classID, confidence: confidence, x1: b.cx - b.w / 2, y1: b.cy - b.h / 2, x2: b.cx + b.w / 2, y2: b.cy + b.h / 2)
        }
        return Gallery(epoch: epoch, confidence: confidence, names: names, images: samples.enumerated().map { k, sample in
            Gallery.Image(file: RunLayout.galleryImage(k), source: (sample.path as NSString).lastPathComponent, labels: sample.labels.map { box($0.box, $0.classID, nil) },
                          detections: sample.detections.map { box($0.box, $0.classID, $0.confidence) })
        })
    }
}

extension Validator {
    /// The first validation images (in file order) with the detections of a validation's `output`.
    public func gallerySamples(_ output: Output) -> [GallerySample] {
        store.dataset.items.indices.prefix(galleryCount).compactMap { i in
            output.detected[i].map { GallerySample(image: store.image(i), path: store.dataset.items[i].path,
                                                   labels: store.dataset.items[i].labels, detections: $0) }
        }
    }
}
