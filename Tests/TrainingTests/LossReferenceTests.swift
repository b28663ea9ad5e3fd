import Detection
import Engine
import Foundation
import Testing

/// Tests/TrainingTests/Fixtures/loss_v7.json, written by tools/loss_reference.py from yolov5==7.0.14's
/// own `ComputeLoss` on fixed predictions and targets (targets at cell borders, ignored anchors,
/// an image without targets, one class).
struct LossFixture: Decodable {
    struct Level: Decodable {
        var shape: [Int]
        var values: [Float]
    }

    struct Hyp: Decodable {
        var box: Float, obj: Float, cls: Float
        var cls_pw: Float, obj_pw: Float, anchor_t: Float, label_smoothing: Float
    }

    struct Case: Decodable {
        var name: String
        var nc: Int
        var batch: Int
        var anchors: [[Float]]
        var strides: [Float]
        var hyp: Hyp
        var predictions: [Level]
        var targets: [[Float]]
        var loss: Double, lbox: Double, lobj: Double, lcls: Double
        var grad: [[Float]]
    }

    var cases: [Case]

    static let shared: LossFixture = {
        guard let url = Bundle.module.url(forResource: "loss_v7", withExtension: "json", subdirectory: "Fixtures"),
              let data = try? Data(contentsOf: url)
        else { fatalError("Fixtures/loss_v7.json is missing: run tools/loss_reference.py") }
        do { return try JSONDecoder().decode(LossFixture.self, from: data) } catch { fatalError("loss_v7.json: \(error)") }
    }()
}

struct LossReferenceTests {
    static let caseNames = LossFixture.shared.cases.map(\.name)

    @Test(arguments: caseNames)
    func lossesAndGradientsMatchYOLOv5(_ name: String) {
        let c = LossFixture.shared.cases.first { $0.name == name }!
        let hyp = LossHyperparameters(box: c.hyp.box, obj: c.hyp.obj, cls: c.hyp.cls, clsPositiveWeight: c.hyp.cls_pw,
                                      objPositiveWeight: c.hyp.obj_pw, anchorT: c.hyp.anchor_t,
                                      labelSmoothing: c.hyp.label_smoothing)
        let anchors = zip(c.anchors, c.strides).map { pixels, stride in pixels.map { $0 / stride } }
        let loss = YOLOv5Loss(hyp: hyp, anchors: anchors, classes: c.nc)
        let predictions = c.predictions.map { Tensor($0.values, shape: Shape($0.shape), requiresGrad: true) }
        let targets = c.targets.map {
            TargetBox(image: Int($0[0]), classID: Int($0[1]), cx: $0[2], cy: $0[3], w: $0[4], h: $0[5])
        }
        let value = loss(predictions, targets)
        value.total.backward()
        func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-5 * max(abs(b), 1e-6) }
        #expect(close(Double(value.total.item), c.loss), "loss \(value.total.item) vs \(c.loss)")
        #expect(close(Double(value.box), c.lbox), "lbox \(value.box) vs \(c.lbox)")
        #expect(close(Double(value.obj), c.lobj), "lobj \(value.obj) vs \(c.lobj)")
        #expect(close(Double(value.cls), c.lcls), "lcls \(value.cls) vs \(c.lcls)")
        for (level, (p, reference)) in zip(predictions, c.grad).enumerated() {
            let grad = p.grad?.scalars ?? [Float](repeating: 0, count: p.count)
            let scale = reference.map { abs($0) }.max() ?? 0
            let worst = zip(grad, reference).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= 1e-5 * max(scale, 1e-12), "level \(level): max |dL/dp − torch| = \(worst), max |torch| = \(scale)")
        }
    }

    /// train.py's scaling of hyp.scratch-low for 3 levels, 3 classes at 64 px gives the fixture's gains.
    @Test func gainsAreScaledAsTrainPy() {
        let c = LossFixture.shared.cases.first { $0.name == "scratch_low" }!
        let scaled = LossHyperparameters.scaled(box: 0.05, obj: 1.0, cls: 0.5, levels: 3, classes: 3, imageSize: 64,
                                                clsPositiveWeight: 1, objPositiveWeight: 1, anchorT: 4, labelSmoothing: 0)
        #expect(scaled.box == c.hyp.box && scaled.obj == c.hyp.obj && scaled.cls == c.hyp.cls)
    }
}
