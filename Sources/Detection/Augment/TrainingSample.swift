/// One augmented training image and its targets, as YOLOv5's `LoadImagesAndLabels.__getitem__`
/// builds it with `augment=True`: mosaic (with MixUp) or a letterboxed single image with
/// `random_perspective`, then HSV, up-down and left-right flips.
public struct TrainingSample: Sendable {
    /// Size × size RGB.
    public var image: RGBImage
    /// Labels as class, cx, cy, w, h normalised (the image index is set when batched).
    public var labels: [YOLOLabel]

    // yolov5 v7.0 utils/dataloaders.py LoadImagesAndLabels.__getitem__ (augment=True, rect=False)
    public static func make(
        index: Int, store: ImageStore, settings: AugmentSettings, size s: Int, seed: UInt64, epoch: Int
    ) -> TrainingSample {
        var rng = SampleRandom(seed: seed, epoch: epoch, index: index)
        var image: RGBImage
        var boxes: [BoxLabel]
        if rng.random() < settings.mosaic {
            (image, boxes) = mosaic(index: index, store: store, settings: settings, size: s, rng: &rng)
            if rng.random() < settings.mixup {
                let other = rng.int(below: store.dataset.count)
                let (image2, boxes2) = mosaic(index: other, store: store, settings: settings, size: s, rng: &rng)
                (image, boxes) = Detection.mixup(image, boxes, image2, boxes2, ratio: rng.beta(32, 32))
            }
        } else {
            let loaded = store.image(index)
            let boxed = letterbox(loaded, height: s, width: s, scaleUp: true)
            boxes = store.dataset.items[index].labels.map {
                BoxLabel($0, width: boxed.ratio * Double(loaded.width), height: boxed.ratio * Double(loaded.height),
                         padw: boxed.pad.x, padh: boxed.pad.y)
            }
            (image, boxes) = randomPerspective(boxed.image, boxes, draws: PerspectiveDraws(settings, &rng))
        }
        var labels = boxes.map { normalised($0, width: image.width, height: image.height) }
        augmentHSV(&image, gains: hsvGains(settings, &rng))
        if rng.random() < settings.flipud {
            flip(&image, horizontal: false)
            for i in labels.indices { labels[i].box.cy = 1 - labels[i].box.cy }
        }
        if rng.random() < settings.fliplr {
            flip(&image, horizontal: true)
            for i in labels.indices { labels[i].box.cx = 1 - labels[i].box.cx }
        }
        return TrainingSample(image: image, labels: labels)
    }

    // yolov5 v7.0 utils/dataloaders.py load_mosaic
    static func mosaic(index: Int, store: ImageStore, settings: AugmentSettings, size s: Int,
                       rng: inout SampleRandom) -> (RGBImage, [BoxLabel]) {
        let draws = MosaicDraws(index: index, count: store.dataset.count, size: s, &rng)
        let tiles = draws.order.map { (image: store.image($0), labels: store.dataset.items[$0].labels) }
        let (canvas, boxes) = placeMosaic(tiles, xc: draws.xc, yc: draws.yc, size: s)
        return randomPerspective(canvas, boxes, draws: PerspectiveDraws(settings, &rng), border: -s / 2)
    }

    /// Pixel xyxy → normalised xywh, boxes first clipped to [0, size − 0.001].
    // yolov5 v7.0 utils/general.py xyxy2xywhn(clip=True, eps=1E-3)
    static func normalised(_ b: BoxLabel, width: Int, height: Int) -> YOLOLabel {
        let w = Double(width), h = Double(height), eps = 1e-3
        func cx(_ x: Double) -> Double { Swift.min(Swift.max(x, 0), w - eps) }
        func cy(_ y: Double) -> Double { Swift.min(Swift.max(y, 0), h - eps) }
        let x1 = cx(b.x1), x2 = cx(b.x2), y1 = cy(b.y1), y2 = cy(b.y2)
        return YOLOLabel(classID: b.classID, box: NormalizedBox(cx: (x1 + x2) / 2 / w, cy: (y1 + y2) / 2 / h,
                                                                w: (x2 - x1) / w, h: (y2 - y1) / h))
    }
}
