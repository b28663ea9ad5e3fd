import Detection
import Testing

struct MatchingTests {
    let label = LabeledBox(box: PixelBox(x1: 0, y1: 0, x2: 100, y2: 100), classID: 0)

    @Test func firstPredictionWinsTheLabelEvenWithLowerIoU() {
        // YOLOv5's rule: each label goes to the lowest-index prediction that chose it.
        // IoU 0.58, then IoU 0.92.
        let first = PredictedBox(box: PixelBox(x1: 0, y1: 0, x2: 58, y2: 100), confidence: 0.9, classID: 0)
        let second = PredictedBox(box: PixelBox(x1: 0, y1: 0, x2: 92, y2: 100), confidence: 0.8, classID: 0)
        let tp = matchPredictions([first, second], to: [label])
        #expect((0..<10).map { tp[0, $0] } == [true, true, false, false, false, false, false, false, false, false])
        #expect((0..<10).map { tp[1, $0] } == [false, false, true, true, true, true, true, true, true, false])
    }

    @Test func classesMustAgree() {
        let wrongClass = PredictedBox(box: label.box, confidence: 0.9, classID: 1)
        #expect(!matchPredictions([wrongClass], to: [label]).any)
    }

    @Test func aPerfectDetectorScoresAP0995() {
        let (ap, _, _) = computeAP(recall: [1], precision: [1])
        #expect(abs(ap - 0.995) < 1e-12)

        let images = (0..<5).map { i in
            let labels = (0..<3).map { k in
                YOLOLabel(
                    classID: k % 2,
                    box: NormalizedBox(cx: 0.2 + 0.3 * Double(k), cy: 0.5, w: 0.1 + 0.02 * Double(i), h: 0.3))
            }
            return AnnotatedImage(
                path: "\(i).png", width: 640, height: 480, labels: labels,
                predictions: labels.enumerated().map { k, l in
                    YOLOPrediction(classID: l.classID, box: l.box, confidence: 0.9 - 0.1 * Double(k))
                })
        }
        let m = yolov5Evaluate(images, classCount: 2)
        #expect(abs(m.map50 - 0.995) < 1e-12 && abs(m.map50to95 - 0.995) < 1e-12)
        #expect(m.precision == 1 && abs(m.recall - 1) < 1e-12)
        let coco = cocoEvaluate(images.map(\.cocoAnnotations), classCount: 2)
        #expect(coco.map50 == 1 && coco.map50to95 == 1)

        // Predictions of a class that has no labels change nothing.
        var noisy = images
        noisy[0].predictions.append(
            YOLOPrediction(
                classID: 2, box: NormalizedBox(cx: 0.5, cy: 0.5, w: 0.2, h: 0.2),
                confidence: 0.99))
        let m3 = yolov5Evaluate(noisy, classCount: 3)
        #expect(m3.map50 == m.map50 && m3.map50to95 == m.map50to95 && m3.precision == m.precision)
        #expect(m3.perClass?.classes == [0, 1])
    }

    @Test func noTruePositiveGivesZerosLikeValPy() {
        let image = AnnotatedImage(
            path: "a.png", width: 100, height: 100,
            labels: [YOLOLabel(classID: 0, box: NormalizedBox(cx: 0.2, cy: 0.2, w: 0.1, h: 0.1))],
            predictions: [
                YOLOPrediction(classID: 0, box: NormalizedBox(cx: 0.8, cy: 0.8, w: 0.1, h: 0.1), confidence: 0.9)
            ])
        let m = yolov5Evaluate([image], classCount: 1)
        #expect(m.precision == 0 && m.recall == 0 && m.map50 == 0 && m.map50to95 == 0)
        #expect(yolov5Evaluate([], classCount: 1).perClass == nil)
        #expect(cocoEvaluate([], classCount: 1).map50to95 == -1, "pycocotools reports -1 without ground truth")
    }

    @Test func confusionMatrixByHand() {
        var matrix = ConfusionMatrix(classCount: 2)
        let labels = [
            LabeledBox(box: PixelBox(x1: 0, y1: 0, x2: 10, y2: 10), classID: 0),
            LabeledBox(box: PixelBox(x1: 50, y1: 50, x2: 60, y2: 60), classID: 1),
        ]
        let predictions = [
            // On label 0 with the wrong class.
            PredictedBox(box: PixelBox(x1: 0, y1: 0, x2: 10, y2: 9), confidence: 0.9, classID: 1),
            PredictedBox(box: PixelBox(x1: 80, y1: 80, x2: 90, y2: 90), confidence: 0.8, classID: 0),  // background
            PredictedBox(box: PixelBox(x1: 50, y1: 50, x2: 60, y2: 60), confidence: 0.1, classID: 1),  // below 0.25
        ]
        matrix.add(predictions: predictions, labels: labels)
        #expect(matrix.counts == [[0, 0, 1], [1, 0, 0], [0, 1, 0]])
        matrix.add(predictions: [], labels: labels)
        #expect(matrix.counts == [[0, 0, 1], [1, 0, 0], [1, 2, 0]])
    }
}
