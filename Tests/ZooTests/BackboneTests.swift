import Engine
import Testing
import Zoo

/// The reference figures of each backbone, printed by `tools/zoo_reference.py` from torchvision
/// 0.29, timm 1.0.31 and the official ShuffleNetV1 release (see docs/zoo.md).
struct Reference: Sendable, CustomStringConvertible {
    let name: String
    /// The ImageNet classifier's parameters (1000 classes, the reference head).
    let classifier: Int
    /// The trunk's parameters: everything before global pooling.
    let trunk: Int
    /// The channels of P3, P4, P5.
    let taps: [Int]
    var description: String { name }

    static let all: [Reference] = [
        Reference(name: "mobilenetv1", classifier: 4_231_976, trunk: 3_206_976, taps: [256, 512, 1024]),
        Reference(name: "mobilenetv1@0.75", classifier: 2_585_560, trunk: 1_816_560, taps: [192, 384, 768]),
        Reference(name: "mobilenetv1@0.5", classifier: 1_331_592, trunk: 818_592, taps: [128, 256, 512]),
        Reference(name: "mobilenetv2", classifier: 3_504_872, trunk: 2_223_872, taps: [32, 96, 1280]),
        Reference(name: "mobilenetv2@0.5", classifier: 1_968_680, trunk: 687_680, taps: [16, 48, 1280]),
        Reference(name: "mobilenetv3-small", classifier: 2_542_856, trunk: 927_008, taps: [24, 48, 576]),
        Reference(name: "mobilenetv3-large", classifier: 5_483_032, trunk: 2_971_952, taps: [40, 112, 960]),
        Reference(name: "ghostnet", classifier: 5_182_508, trunk: 2_671_428, taps: [40, 112, 960]),
        Reference(name: "shufflenetv1", classifier: 1_864_728, trunk: 904_728, taps: [240, 480, 960]),
        Reference(name: "shufflenetv2", classifier: 2_278_604, trunk: 1_253_604, taps: [116, 232, 1024]),
        Reference(name: "shufflenetv2@0.5", classifier: 1_366_792, trunk: 341_792, taps: [48, 96, 1024]),
        Reference(name: "mnasnet", classifier: 4_383_312, trunk: 3_102_312, taps: [40, 96, 1280]),
        Reference(name: "mnasnet@0.5", classifier: 2_218_512, trunk: 937_512, taps: [24, 48, 1280]),
    ]
}

struct BackboneTests {
    @Test(arguments: Reference.all)
    func classifierMatchesReferenceParameterCount(_ ref: Reference) throws {
        var rng = Philox(seed: 0)
        let spec = try BackboneSpec(parsing: ref.name)
        let classifier = try #require(spec.makeClassifier(rng: &rng))
        #expect(classifier.parameterCount == ref.classifier)
        #expect(classifier.backbone.parameterCount == ref.trunk)
        #expect(classifier.backbone.tapChannels == ref.taps)
    }

    @Test(arguments: BackboneSpec.all)
    func tapsAreAtStrides8_16_32(_ spec: BackboneSpec) {
        var rng = Philox(seed: 1)
        let backbone = spec.makeBackbone(rng: &rng)
        let x = Tensor(repeating: 0.5, shape: [1, 3, 64, 96])
        let p = Autograd.withoutGrad { backbone.features(x) }
        #expect(p.map(\.shape) == [
            [1, backbone.tapChannels[0], 8, 12], [1, backbone.tapChannels[1], 4, 6], [1, backbone.tapChannels[2], 2, 3],
        ])
        #expect(backbone.taps.map { backbone.strides[$0] } == [8, 16, 32])
    }

    @Test func classifierGivesLogits() throws {
        var rng = Philox(seed: 2)
        let classifier = try #require(BackboneSpec(.mobilenetv3Small).makeClassifier(classes: 10, rng: &rng))
        let y = Autograd.withoutGrad { classifier(Tensor(repeating: 0.1, shape: [2, 3, 64, 64])) }
        #expect(y.shape == [2, 10])
    }
}
