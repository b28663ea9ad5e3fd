/// A box as YOLO text files hold it: centre, width and height, normalised by the image size.
public struct NormalizedBox: Sendable, Equatable {
    public var cx: Double
    public var cy: Double
    public var w: Double
    public var h: Double

    public init(cx: Double, cy: Double, w: Double, h: Double) {
        self.cx = cx
        self.cy = cy
        self.w = w
        self.h = h
    }

    /// Pixel corners as YOLOv5 makes them (`xywhn2xyxy` in Float32), clipped to the image as its
    /// `clip_boxes` does.
    // yolov5 v7.0 utils/general.py xywhn2xyxy, clip_boxes
    public func pixelBox(width: Int, height: Int) -> PixelBox {
        let imageWidth = Float(width)
        let imageHeight = Float(height)
        let x = Float(cx)
        let y = Float(cy)
        let bw = Float(w)
        let bh = Float(h)
        return PixelBox(
            x1: min(max(imageWidth * (x - bw / 2), 0), imageWidth),
            y1: min(max(imageHeight * (y - bh / 2), 0), imageHeight),
            x2: min(max(imageWidth * (x + bw / 2), 0), imageWidth),
            y2: min(max(imageHeight * (y + bh / 2), 0), imageHeight))
    }

    /// The pixel box as COCO's JSON holds it (Float64 top-left corner, width, height), unclipped.
    public func cocoBox(width: Int, height: Int) -> COCOBox {
        let imageWidth = Double(width)
        let imageHeight = Double(height)
        return COCOBox(
            x: (cx - w / 2) * imageWidth, y: (cy - h / 2) * imageHeight, width: w * imageWidth, height: h * imageHeight)
    }
}

/// One line of a YOLO label file: `class cx cy w h`.
public struct YOLOLabel: Sendable, Equatable {
    public var classID: Int
    public var box: NormalizedBox

    public init(classID: Int, box: NormalizedBox) {
        self.classID = classID
        self.box = box
    }
}

/// One line of a YOLOv5 `--save-txt --save-conf` prediction file: `class cx cy w h conf`.
public struct YOLOPrediction: Sendable, Equatable {
    public var classID: Int
    public var box: NormalizedBox
    public var confidence: Double

    public init(classID: Int, box: NormalizedBox, confidence: Double) {
        self.classID = classID
        self.box = box
        self.confidence = confidence
    }
}

/// An image with its size, labels and predictions, ready for either protocol.
public struct AnnotatedImage: Sendable, Equatable {
    public var path: String
    public var width: Int
    public var height: Int
    public var labels: [YOLOLabel]
    /// In file order (YOLOv5 writes them most confident first).
    public var predictions: [YOLOPrediction]

    public init(path: String, width: Int, height: Int, labels: [YOLOLabel], predictions: [YOLOPrediction]) {
        self.path = path
        self.width = width
        self.height = height
        self.labels = labels
        self.predictions = predictions
    }
}

extension AnnotatedImage {
    /// Labels in pixels, for the YOLOv5 protocol.
    public var pixelLabels: [LabeledBox] {
        labels.map { LabeledBox(box: $0.box.pixelBox(width: width, height: height), classID: $0.classID) }
    }

    /// Predictions in pixels with Float32 confidences, in file order, for the YOLOv5 protocol.
    public var pixelPredictions: [PredictedBox] {
        predictions.map {
            PredictedBox(
                box: $0.box.pixelBox(width: width, height: height), confidence: Float($0.confidence),
                classID: $0.classID)
        }
    }

    /// Ground truth and detections as COCO JSON would hold them, for the COCO protocol.
    public var cocoAnnotations: COCOImageAnnotations {
        COCOImageAnnotations(
            groundTruth: labels.map {
                COCOGroundTruth(classID: $0.classID, box: $0.box.cocoBox(width: width, height: height))
            },
            detections: predictions.map {
                COCODetection(
                    classID: $0.classID, box: $0.box.cocoBox(width: width, height: height), score: $0.confidence)
            })
    }
}
