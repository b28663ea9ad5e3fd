import Engine
import Testing
import Zoo

struct DetectorTests {
    /// YOLOv5 v7.0 model summary of yolov5n.yaml (../shared/anchors/README.md): parameters and
    /// GFLOPs at 640, unfused and fused.
    @Test(arguments: [(80, 1_872_157, 4.56, 1_867_405, 4.47), (3, 1_767_976, 4.23, 1_763_224, 4.14)])
    func yolov5nMatchesYOLOv5Summary(_ nc: Int, _ params: Int, _ gflops: Double, _ fusedParams: Int, _ fusedGflops: Double) {
        let model = Detector(spec: DetectorSpec(backbone: BackboneSpec(.cspdarknet), neck: .panSPPF, classes: nc))
        let summary = ModelSummary(model, imageSize: 640)
        #expect(summary.parameters == params)
        #expect(summary.trainableParameters == params)
        #expect(abs(summary.gflops / gflops - 1) < 0.01, "GFLOPs \(summary.gflops) vs YOLOv5's \(gflops)")
        model.fuse()
        let fused = ModelSummary(model, imageSize: 640)
        #expect(fused.parameters == fusedParams)
        #expect(abs(fused.gflops / fusedGflops - 1) < 0.01, "fused GFLOPs \(fused.gflops) vs YOLOv5's \(fusedGflops)")
    }

    @Test func yolov5nLayerTableFollowsTheYamlRows() {
        let summary = ModelSummary(Detector(spec: .yolov5n), imageSize: 64)
        // yolov5n's parse_model printout: rows 0–8 of the backbone, row 9 SPPF.
        let backbone = summary.rows.filter { $0.path.hasPrefix("backbone.") }.map(\.parameters)
        #expect(backbone == [1760, 4672, 4800, 18560, 29184, 73984, 156928, 295424, 296448])
        #expect(summary.rows.first { $0.path == "neck.context" }?.parameters == 164_608)
        #expect(summary.rows.reduce(0) { $0 + $1.parameters } == summary.parameters)
        #expect(abs(summary.rows.reduce(0) { $0 + $1.gflops } - summary.gflops) < 1e-9)
    }

    @Test(arguments: [(64, 64), (96, 160), (128, 128)])
    func outputShapes(_ h: Int, _ w: Int) {
        for spec in [DetectorSpec.yolov5n, DetectorSpec(backbone: BackboneSpec(.shufflenetv2, width: 0.5), neck: .panASPP(rates: [1, 2, 3]), classes: 3)] {
            let model = Detector(spec: spec)
            let raw = Autograd.withoutGrad { model(Tensor(repeating: 0.2, shape: [2, 3, h, w])) }
            let no = spec.classes + 5
            #expect(raw.map(\.shape) == [[2, 3, h / 8, w / 8, no], [2, 3, h / 16, w / 16, no], [2, 3, h / 32, w / 32, no]])
            let boxes = model.detect.decode(raw)
            #expect(boxes.shape == [2, 3 * (h * w / 64 + h * w / 256 + h * w / 1024), no])
        }
    }

    @Test func decodeFollowsYOLOv5() {
        let model = Detector(spec: DetectorSpec(backbone: BackboneSpec(.cspdarknet), neck: .panSPPF, classes: 1))
        // Zero logits: σ = 0.5, so xy = (0.5 + grid)·stride and wh = anchor.
        let raw = [[1, 3, 2, 2, 6], [1, 3, 1, 1, 6], [1, 3, 1, 1, 6]].map { Tensor(zeros: Shape($0)) }
        let boxes = model.detect.decode(raw)
        let first = Array(boxes.scalars.prefix(6)), fourth = Array(boxes.scalars[18..<24])
        #expect(first == [4, 4, 10, 13, 0.5, 0.5])
        #expect(fourth == [12, 12, 10, 13, 0.5, 0.5])  // anchor 0, grid (1, 1) of P3
        let p5 = Array(boxes.scalars[(12 + 3 + 2) * 6..<(12 + 3 + 3) * 6])
        #expect(p5 == [16, 16, 373, 326, 0.5, 0.5])
    }

    @Test func biasesAreInitialisedAsYOLOv5() {
        let model = Detector(spec: .yolov5n)
        // Conv bias U(±1/√64) plus log(8 / (640/8)²) ≈ −6.67 on objectness, log(0.6 / 79.00001) ≈ −4.88 on classes.
        let b = model.detect.heads[0].bias!.scalars
        #expect(b[4] < -6.67 + 0.13 && b[4] > -6.67 - 0.13)
        #expect(b[5] < -4.88 + 0.13 && b[5] > -4.88 - 0.13)
        #expect(abs(b[0]) <= 0.125)
    }

    @Test func namesFollowModulePaths() {
        let names = Detector(spec: .yolov5n).stateDict().map(\.name)
        #expect(names.contains("backbone.layers.0.conv.weight"))
        #expect(names.contains("backbone.layers.2.m.0.cv1.bn.runningMean"))
        #expect(names.contains("neck.context.cv2.conv.weight"))
        #expect(names.contains("detect.heads.2.bias"))
        #expect(names.contains("detect.anchors"))
        #expect(Set(names).count == names.count)
    }
}
