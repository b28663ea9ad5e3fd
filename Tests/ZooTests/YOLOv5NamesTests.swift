import Testing
import Zoo

/// yolov5n's tensors under YOLOv5's names: the zoo's cspdarknet + pan-sppf detector at 80 classes
/// names every tensor of YOLOv5 v7.0's yolov5n state dict (Fixtures/reference-state-dicts.json, as
/// torch printed it) once, with the same shape, and every one but BatchNorm's counters.
struct YOLOv5NamesTests {
    @Test func everyTensorHasYOLOv5sNameAndShape() throws {
        let reference = try #require(WeightPairingTests.references["yolov5.yolov5n"]).list
        let shapes = Dictionary(uniqueKeysWithValues: reference.map { ($0.name, $0.shape) })
        let model = Detector(spec: DetectorSpec(backbone: BackboneSpec(.cspdarknet), neck: .panSPPF, classes: 80), seed: 0)
        var named: Set<String> = []
        for (name, tensor) in model.stateDict() {
            let key = try #require(YOLOv5Names.yolov5(name), "\(name) has no YOLOv5 name")
            #expect(shapes[key] == tensor.shape.dims, "\(name) → \(key): \(String(describing: shapes[key])) vs \(tensor.shape.dims)")
            #expect(named.insert(key).inserted, "\(key) named twice")
        }
        let left = Set(shapes.keys).subtracting(named)
        #expect(left.allSatisfy { $0.hasSuffix(".num_batches_tracked") } && left.count == 57, "\(left.sorted().prefix(5))")
        #expect(YOLOv5Names.yolov5("neck.adapt3.conv.weight") == nil && YOLOv5Names.yolov5("backbone.layers.9.x") == nil)
    }
}
