import Detection
import Testing
import Training

/// The validator's rect batches and its NMS candidates, against val.py's rules worked by hand.
struct ValidatorTests {
    static func dataset(_ sizes: [(w: Int, h: Int)]) -> DetectionDataset {
        DetectionDataset(split: "val", names: ["a", "b"], items: sizes.enumerated().map { i, s in
            .init(path: "/nonexistent/\(i).jpg", width: s.w, height: s.h, labels: [])
        })
    }

    /// Images sorted by h/w; a batch's shape is 1 on the side of the widest (or tallest) ratio and
    /// the ratio on the other, times imgsz / stride + pad 0.5, rounded up to the stride.
    // yolov5 v7.0 utils/dataloaders.py: batch_shapes = np.ceil(np.array(shapes) * img_size / stride + pad).astype(int) * stride
    @Test func rectBatchesFollowValPy() {
        // h/w: 0.75, 1.333, 1.0, 0.5, 2.0
        let data = Self.dataset([(640, 480), (480, 640), (500, 500), (800, 400), (300, 600)])
        let v = Validator(store: ImageStore(data, imageSize: 64, forTraining: false), batchSize: 2)
        #expect(v.order == [3, 0, 2, 1, 4])
        // [0.5, 0.75]: all wide → (0.75, 1): h = ceil(0.75·2 + 0.5)·32 = 64, w = ceil(2.5)·32 = 96
        // [1.0, 1.333]: mixed → (1, 1): 96 × 96
        // [2.0]: all tall → (1, 1/2): h = 96, w = ceil(0.5·2 + 0.5)·32 = 64
        #expect(v.batchShapes.map { [$0.h, $0.w] } == [[64, 96], [96, 96], [96, 64]])
    }

    /// val.py's NMS input: multi-label keeps every class whose obj × class score passes 0.001;
    /// detect.py's keeps the best class only, above 0.25.
    @Test func candidatesFollowNonMaxSuppressionsRules() {
        // cx, cy, w, h, obj, class a, class b — three rows far apart
        var rows: [Float] = [
            10, 10, 4, 4, 0.9, 0.8, 0.5,        // both classes pass 0.001; a wins for detect.py (0.72)
            50, 50, 6, 6, 0.0005, 0.9, 0.9,     // objectness below 0.001: never a candidate
            90, 90, 8, 8, 0.5, 0.001, 0.4,      // a: 0.0005 fails, b: 0.2 passes 0.001 but not 0.25
        ]
        let multi = rows.withUnsafeMutableBufferPointer { Validator.detections($0.baseAddress!, rows: 3, classes: 2) }
        #expect(multi.count == 3)
        #expect(multi.map(\.classID) == [0, 1, 1])
        #expect(abs(multi[0].confidence - 0.72) < 1e-6 && abs(multi[1].confidence - 0.45) < 1e-6 && abs(multi[2].confidence - 0.2) < 1e-6)
        #expect(multi[0].box == PixelBox(x1: 8, y1: 8, x2: 12, y2: 12))
        let best = rows.withUnsafeMutableBufferPointer {
            Validator.detections($0.baseAddress!, rows: 3, classes: 2, options: NMSOptions(), multiLabel: false)
        }
        #expect(best.map(\.classID) == [0] && abs(best[0].confidence - 0.72) < 1e-6)
    }
}
