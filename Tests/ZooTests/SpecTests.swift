import Testing
import Zoo

struct SpecTests {
    @Test func namesRoundTrip() throws {
        for spec in BackboneSpec.all { #expect(try BackboneSpec(parsing: spec.description) == spec) }
        #expect(try BackboneSpec(parsing: "mobilenetv2@0.5").width == 0.5)
        #expect(try BackboneSpec(parsing: "mobilenetv1@1.0") == BackboneSpec(.mobilenetv1))
        #expect(try NeckSpec(parsing: "pan-aspp") == .panASPP(rates: NeckSpec.defaultRates))
        #expect(try NeckSpec(parsing: "pan-aspp@4,8,12") == .panASPP(rates: [4, 8, 12]))
        #expect(NeckSpec.panASPP(rates: [4, 8, 12]).description == "pan-aspp@4,8,12")
        #expect(DetectorSpec.yolov5n.description == "cspdarknet__pan-sppf")
        #expect(DetectorSpec.all().count == 2 * BackboneSpec.all.count)
    }

    @Test func invalidChoicesNameTheValueAndTheValidOnes() {
        func message(_ body: () throws -> Void) -> String {
            do { try body() } catch { return (error as? ZooError)?.description ?? "not a ZooError: \(error)" }
            return ""
        }
        let backbone = message { _ = try BackboneSpec(parsing: "resnet50") }
        #expect(backbone.contains("'resnet50'") && backbone.contains("mobilenetv3-small") && backbone.contains("cspdarknet"))
        let width = message { _ = try BackboneSpec(parsing: "ghostnet@0.5") }
        #expect(width.contains("0.5") && width.contains("valid widths: 1.0"))
        let written = message { _ = try BackboneSpec(parsing: "mobilenetv1@0.3") }
        #expect(written.hasPrefix("backbone 'mobilenetv1@0.3': mobilenetv1 has no width 0.3; valid widths: "), "\(written)")
        let neck = message { _ = try NeckSpec(parsing: "bifpn") }
        #expect(neck.contains("'bifpn'") && neck.contains("pan-sppf"))
        #expect(message { _ = try NeckSpec(parsing: "pan-aspp@0,2") }.contains("at least 1"))
        #expect(message { _ = try NeckSpec(parsing: "pan-sppf@3") }.contains("pan-sppf@3"))
        let size = message { try DetectorSpec.validate(imageSize: 100) }
        #expect(size.contains("100") && size.contains("multiple of 32"))
        #expect(message { try DetectorSpec.validate(imageSize: 0) }.contains("0"))
        #expect(message { _ = try DetectorSpec(backbone: "ghostnet", neck: "pan-sppf", classes: 0) }.contains("from 1 to 10000"))
        #expect(message { try DetectorSpec.validate(imageSize: 65_536) }.contains("from 32 to 4096"))
    }
}
