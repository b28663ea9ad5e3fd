import Detection
import Testing

struct BoxIoUTests {
    @Test func overlappingBoxesByHand() {
        // 10×10 boxes offset by 5: intersection 25, union 175.
        let a = PixelBox(x1: 0, y1: 0, x2: 10, y2: 10)
        let b = PixelBox(x1: 5, y1: 5, x2: 15, y2: 15)
        #expect(abs(boxIoU(a, b) - 25 / 175) < 1e-7)
        #expect(
            cocoIoU(
                detection: COCOBox(x: 0, y: 0, width: 10, height: 10),
                groundTruth: COCOBox(x: 5, y: 5, width: 10, height: 10)) == 25.0 / 175.0)
    }

    @Test func identicalBoxesScoreOneButForTheEpsOnTinyBoxes() {
        let a = PixelBox(x1: 3, y1: 4, x2: 50, y2: 40)
        #expect(boxIoU(a, a) == 1)
        let tiny = PixelBox(x1: 3, y1: 4, x2: 4, y2: 5)  // 1 / (1 + 1e-7) in Float32
        #expect(boxIoU(tiny, tiny) < 1 && boxIoU(tiny, tiny) > 0.999_999)
        let c = COCOBox(x: 3, y: 4, width: 47, height: 36)
        #expect(cocoIoU(detection: c, groundTruth: c) == 1)
    }

    @Test func disjointAndTouchingBoxesScoreZero() {
        let a = PixelBox(x1: 0, y1: 0, x2: 10, y2: 10)
        #expect(boxIoU(a, PixelBox(x1: 10, y1: 0, x2: 20, y2: 10)) == 0)
        #expect(boxIoU(a, PixelBox(x1: 30, y1: 30, x2: 40, y2: 40)) == 0)
        #expect(
            cocoIoU(
                detection: COCOBox(x: 0, y: 0, width: 10, height: 10),
                groundTruth: COCOBox(x: 10, y: 0, width: 5, height: 5)) == 0)
    }

    @Test func matrixIsRowMajorOverFirstArgument() {
        let a = [PixelBox(x1: 0, y1: 0, x2: 10, y2: 10), PixelBox(x1: 100, y1: 100, x2: 110, y2: 110)]
        let b = [
            PixelBox(x1: 100, y1: 100, x2: 110, y2: 110), PixelBox(x1: 0, y1: 0, x2: 10, y2: 10),
            PixelBox(x1: 0, y1: 0, x2: 5, y2: 10),
        ]
        let m = boxIoU(a, b)
        #expect(m.count == 6)
        #expect(m[0] == 0 && m[1] > 0.999 && abs(m[2] - 0.5) < 1e-6)
        #expect(m[3] > 0.999 && m[4] == 0 && m[5] == 0)
    }

    @Test func thresholdsAreTorchLinspaceInFloat32() {
        // torch.linspace(0.5, 0.95, 10), printed as doubles by torch 2.
        let torch: [Double] = [
            0.5, 0.550000011920929, 0.6000000238418579, 0.6499999761581421, 0.699999988079071,
            0.75, 0.800000011920929, 0.8500000238418579, 0.8999999761581421, 0.949999988079071,
        ]
        #expect(yoloIoUThresholds == torch.map { Float($0) })
    }
}
