import Detection
import Testing

struct LabelFileTests {
    func labels(_ text: String, classCount: Int = 3) -> LabelFile.Labels {
        LabelFile.parseLabels(Array(text.utf8), file: "labels/val/a.txt", classCount: classCount)
    }

    @Test func readsLinesWithBlankLinesAndCRLF() {
        let parsed = labels("0 0.5 0.5 0.2 0.4\r\n\r\n2 0.25 0.75 0.1 0.1\n   \n")
        #expect(parsed.problems.isEmpty)
        #expect(
            parsed.labels == [
                YOLOLabel(classID: 0, box: NormalizedBox(cx: 0.5, cy: 0.5, w: 0.2, h: 0.4)),
                YOLOLabel(classID: 2, box: NormalizedBox(cx: 0.25, cy: 0.75, w: 0.1, h: 0.1)),
            ])
    }

    @Test func everyBadLineIsNamedWithItsNumber() {
        let parsed = labels(
            """
            0 0.5 0.5 0.2
            0 0.5 abc 0.2 0.2
            7 0.5 0.5 0.2 0.2
            0 1.05 0.5 0.2 0.2
            1.5 0.5 0.5 0.2 0.2
            0 0.5 0.5 -0.1 0.2
            1 0.5 0.5 0.2 0.2
            """)
        #expect(parsed.labels.count == 1)
        let lines = parsed.problems.map { "\($0)" }
        #expect(lines.count == 6)
        #expect(lines[0] == "labels/val/a.txt:1: expected 5 fields (class cx cy w h), found 4")
        #expect(lines[1] == "labels/val/a.txt:2: 'abc' is not a number")
        #expect(lines[2].hasPrefix("labels/val/a.txt:3: class id 7 is out of range"))
        #expect(lines[3] == "labels/val/a.txt:4: cx 1.05 is not a normalised value (cx cy w h must lie in 0...1)")
        #expect(lines[4].hasPrefix("labels/val/a.txt:5: class id 1.5 is not a whole number"))
        #expect(lines[5] == "labels/val/a.txt:6: w -0.1 is not a normalised value (cx cy w h must lie in 0...1)")
    }

    @Test func roundingAtTheBorderIsAccepted() {
        #expect(labels("0 0.5 0.5 1.0004 0.2\n0 0.0001 0.5 0.0004 0.1\n0 -0.0004 0.5 0.1 0.1").problems.isEmpty)
        #expect(labels("0 0.5 0.5 1.01 0.2").problems.count == 1)
    }

    /// YOLOv5 keeps a box that reaches past the image edge as long as cx, cy, w, h are in 0...1
    /// (verify_image_label); so does studyctl, and predictions still have to lie inside.
    @Test func boxesReachingPastTheEdgeAreKeptAsYOLOv5KeepsThem() {
        let parsed = labels("0 0.95 0.5 0.2 0.2\n1 0.02 0.98 0.1 0.3")
        #expect(parsed.problems.isEmpty)
        #expect(parsed.labels.map(\.box) == [NormalizedBox(cx: 0.95, cy: 0.5, w: 0.2, h: 0.2), NormalizedBox(cx: 0.02, cy: 0.98, w: 0.1, h: 0.3)])
        let predictions = LabelFile.parsePredictions(Array("0 0.95 0.5 0.2 0.2 0.9".utf8), file: "pred/a.txt", classCount: 3)
        #expect(predictions.problems.first?.message.hasPrefix("box outside the image") == true)
    }

    @Test func polygonsBecomeTheirBoundingBoxes() {
        // Any line longer than 6 fields makes every line a polygon, as in YOLOv5.
        let parsed = labels("0 0.1 0.1 0.5 0.1 0.5 0.4\n1 0.2 0.2 0.3 0.6")
        #expect(parsed.problems.isEmpty)
        let box = parsed.labels[0].box
        #expect(
            abs(box.cx - 0.3) < 1e-12 && abs(box.cy - 0.25) < 1e-12 && abs(box.w - 0.4) < 1e-12
                && abs(box.h - 0.3) < 1e-12)
        #expect(abs(parsed.labels[1].box.w - 0.1) < 1e-12 && abs(parsed.labels[1].box.h - 0.4) < 1e-12)
    }

    @Test func duplicateRowsAreDroppedAndTheRestSorted() {
        let parsed = labels("2 0.5 0.5 0.2 0.2\n0 0.3 0.3 0.1 0.1\n2 0.5 0.5 0.2 0.2\n")
        #expect(parsed.duplicatesRemoved == 1)
        #expect(parsed.labels.map(\.classID) == [0, 2])
    }

    @Test func predictionsNeedSixFieldsAndAConfidenceInZeroOne() {
        let parsed = LabelFile.parsePredictions(
            Array(
                "0 0.5 0.5 0.2 0.2 0.9\n1 0.5 0.5 0.2 0.2\n1 0.5 0.5 0.2 0.2 1.5\n0 0.5 0.5 0.2 0.2 nan\n3 0.5 0.5 0.2 0.2 0.5"
                    .utf8),
            file: "pred/a.txt", classCount: 3)
        #expect(
            parsed.predictions == [
                YOLOPrediction(
                    classID: 0, box: NormalizedBox(cx: 0.5, cy: 0.5, w: 0.2, h: 0.2),
                    confidence: 0.9)
            ])
        #expect(parsed.problems.map(\.line) == [2, 3, 4, 5])
        #expect(parsed.problems[1].message == "confidence 1.5 is outside 0...1")
    }
}
