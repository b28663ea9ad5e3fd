import Detection
import Testing

/// studyctl against YOLOv5 v7.0 and pycocotools on the fixture's scenarios. The issue asks for 1e-4
/// (YOLOv5) and 1e-3 (COCO); the ports are exact, so these tests ask for 1e-9.
struct ReferenceMetricsTests {
    static let tolerance = 1e-9

    @Test(arguments: ReferenceFixture.names)
    func yolov5MatchesReference(name: String) throws {
        let scenario = ReferenceFixture.scenario(name)
        let reference = scenario.yolov5
        let m = yolov5Evaluate(scenario.annotated, classCount: scenario.nc)

        #expect(m.instances == reference.instances)
        #expect(abs(m.precision - reference.mp) < Self.tolerance, "P \(m.precision) vs \(reference.mp)")
        #expect(abs(m.recall - reference.mr) < Self.tolerance, "R \(m.recall) vs \(reference.mr)")
        #expect(abs(m.map50 - reference.map50) < Self.tolerance, "mAP50 \(m.map50) vs \(reference.map50)")
        #expect(
            abs(m.map50to95 - reference.map5095) < Self.tolerance, "mAP50-95 \(m.map50to95) vs \(reference.map5095)")
        #expect(abs(m.fitness - reference.fitness) < Self.tolerance, "fitness \(m.fitness) vs \(reference.fitness)")
        #expect(m.confusionMatrix.counts == reference.confusionMatrix)

        guard let classes = reference.classes else { return }
        let p = try #require(m.perClass)
        #expect(p.classes == classes)
        for (label, ours, theirs) in [
            ("P", p.precision, reference.precision), ("R", p.recall, reference.recall),
            ("F1", p.f1, reference.f1), ("AP50", p.ap50, reference.ap50),
            ("AP50-95", p.ap50to95, reference.ap5095),
        ] {
            let theirs = try #require(theirs)
            #expect(maxDifference(ours, theirs) < Self.tolerance, "\(label): \(ours) vs \(theirs)")
        }
    }

    @Test(arguments: ReferenceFixture.names)
    func matchingCountsAgree(name: String) throws {
        let scenario = ReferenceFixture.scenario(name)
        var perThreshold = [Int](repeating: 0, count: 10)
        for image in scenario.annotated where !image.labels.isEmpty {
            let tp = matchPredictions(image.pixelPredictions, to: image.pixelLabels)
            for d in 0..<tp.predictionCount {
                for t in 0..<10 where tp[d, t] { perThreshold[t] += 1 }
            }
        }
        #expect(perThreshold == scenario.yolov5.tpPerThreshold)
    }

    /// The fixture breaks confidence ties by shifting confidences by 1e-12 per prediction, which
    /// moves the interpolated curves by up to ~1e-9; the figures above are read where it does not.
    static let curveTolerance = 1e-7

    @Test(arguments: ReferenceFixture.names)
    func curvesMatchReference(name: String) throws {
        let reference = ReferenceFixture.scenario(name).yolov5
        guard let indices = reference.curveIndices else { return }
        let scenario = ReferenceFixture.scenario(name)
        let curves = try #require(yolov5Evaluate(scenario.annotated, classCount: scenario.nc).perClass).curves
        #expect(curves.grid.count == 1000)
        func sampled(_ rows: [[Double]]) -> [[Double]] { rows.map { row in indices.map { row[$0] } } }
        for (label, ours, theirs) in [
            ("precision", curves.precision, reference.precisionCurve),
            ("recall", curves.recall, reference.recallCurve),
            ("f1", curves.f1, reference.f1Curve), ("pr", curves.pr, reference.prCurve),
        ] {
            let theirs = try #require(theirs)
            let ours = sampled(ours)
            #expect(ours.count == theirs.count, "\(label): \(ours.count) rows vs \(theirs.count)")
            for (a, b) in zip(ours, theirs) {
                #expect(maxDifference(a, b) < Self.curveTolerance, "\(label) curve: \(a) vs \(b)")
            }
        }
    }

    @Test(arguments: ReferenceFixture.names)
    func cocoMatchesReference(name: String) throws {
        let scenario = ReferenceFixture.scenario(name)
        let reference = scenario.coco
        let m = cocoEvaluate(scenario.annotated.map(\.cocoAnnotations), classCount: scenario.nc)
        #expect(
            abs(m.map50to95 - reference.map5095) < Self.tolerance, "mAP50-95 \(m.map50to95) vs \(reference.map5095)")
        #expect(abs(m.map50 - reference.map50) < Self.tolerance, "mAP50 \(m.map50) vs \(reference.map50)")
        #expect(abs(m.map75 - reference.map75) < Self.tolerance, "mAP75 \(m.map75) vs \(reference.map75)")
        #expect(abs(m.mar100 - reference.mar100) < Self.tolerance, "mAR100 \(m.mar100) vs \(reference.mar100)")
        #expect(m.perClass.map { String($0.classID) }.sorted() == reference.perClass.keys.sorted())
        for c in m.perClass {
            let theirs = try #require(reference.perClass[String(c.classID)])
            #expect(abs(c.ap50to95 - theirs.ap5095) < Self.tolerance, "class \(c.classID) AP50-95")
            #expect(abs(c.ap50 - theirs.ap50) < Self.tolerance, "class \(c.classID) AP50")
        }
    }

    @Test func fixtureRecordsTheReferenceVersions() {
        let versions = ReferenceFixture.shared.versions
        #expect(versions["yolov5"]?.hasPrefix("7.0") == true)
        #expect(versions["pycocotools"] != nil)
    }

    @Test func tiesScenarioReallyHasOrderDependentTies() {
        // The ties scenario is there because NumPy's tie order changes YOLOv5's figures; studyctl
        // breaks ties by input order, and the fixture's reference does the same.
        #expect(ReferenceFixture.scenario("ties").yolov5UnstableTiesDiffer)
    }
}
