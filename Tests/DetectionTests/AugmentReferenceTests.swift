import Detection
import Foundation
import Testing

/// Tests/DetectionTests/Fixtures/mosaic_v7.json, written by tools/augment_reference.py from
/// yolov5==7.0.14's own `load_mosaic`, `random_perspective`, `augment_hsv`, `letterbox` and
/// `load_image` (OpenCV) with the random draws injected.
struct AugmentFixture: Decodable {
    struct Image: Decodable {
        var width: Int, height: Int
        var rgb_base64: String
        var labels: [[Double]]
    }

    struct Draws: Decodable {
        var xc: Int, yc: Int
        var order: [Int]
        var perspective: [Double], angle: Double, scale: Double, shear: [Double], translate: [Double]
    }

    struct Case: Decodable {
        var name: String
        var draws: Draws
        var mosaic_rgb_base64: String
        var mosaic_labels: [[Double]]
        var output_rgb_base64: String
        var output_labels: [[Double]]
    }

    struct HSV: Decodable {
        var r: [Double]
        var output_rgb_base64: String
    }

    struct Letterbox: Decodable {
        var new_shape: [Int]
        var scaleup: Bool
        var ratio: [Double], pad: [Double]
        var output_rgb_base64: String
    }

    struct Resize: Decodable {
        var image: Int
        var width: Int, height: Int
        var interpolation: String
        var output_rgb_base64: String
    }

    var s: Int
    var images: [Image]
    var cases: [Case]
    var hsv: [HSV]
    var letterbox: [Letterbox]
    var resize: [Resize]

    static let shared: AugmentFixture = {
        guard let url = Bundle.module.url(forResource: "mosaic_v7", withExtension: "json", subdirectory: "Fixtures"),
              let data = try? Data(contentsOf: url)
        else { fatalError("Fixtures/mosaic_v7.json is missing: run tools/augment_reference.py") }
        do { return try JSONDecoder().decode(AugmentFixture.self, from: data) } catch { fatalError("mosaic_v7.json: \(error)") }
    }()

    static func bytes(_ base64: String) -> [UInt8] { [UInt8](Data(base64Encoded: base64)!) }

    func rgb(_ i: Int) -> RGBImage { RGBImage(width: images[i].width, height: images[i].height, pixels: Self.bytes(images[i].rgb_base64)) }

    func labels(_ i: Int) -> [YOLOLabel] {
        images[i].labels.map { YOLOLabel(classID: Int($0[0]), box: NormalizedBox(cx: $0[1], cy: $0[2], w: $0[3], h: $0[4])) }
    }
}

/// Mean and largest absolute difference in grey levels.
func pixelDifference(_ a: [UInt8], _ b: [UInt8]) -> (mean: Double, max: Int) {
    guard a.count == b.count, !a.isEmpty else { return (.infinity, .max) }
    var sum = 0, worst = 0
    for (x, y) in zip(a, b) {
        let d = abs(Int(x) - Int(y))
        sum += d
        worst = max(worst, d)
    }
    return (Double(sum) / Double(a.count), worst)
}

struct AugmentReferenceTests {
    static let fixture = AugmentFixture.shared

    func boxes(_ labels: [BoxLabel]) -> [[Double]] { labels.map { [Double($0.classID), $0.x1, $0.y1, $0.x2, $0.y2] } }

    func expectBoxes(_ got: [[Double]], _ want: [[Double]], _ what: String) {
        #expect(got.count == want.count, "\(what): \(got.count) boxes, YOLOv5 keeps \(want.count)")
        for (g, w) in zip(got, want) {
            let worst = zip(g, w).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= 1e-4, "\(what): box \(g) vs YOLOv5 \(w)")
        }
    }

    @Test(arguments: fixture.cases.map(\.name))
    func mosaicAndPerspectiveMatchYOLOv5(_ name: String) {
        let f = Self.fixture
        let c = f.cases.first { $0.name == name }!
        let tiles = c.draws.order.map { (image: f.rgb($0), labels: f.labels($0)) }
        let (canvas, placed) = placeMosaic(tiles, xc: c.draws.xc, yc: c.draws.yc, size: f.s)
        #expect(canvas.pixels == AugmentFixture.bytes(c.mosaic_rgb_base64), "mosaic placement differs")
        expectBoxes(boxes(placed), c.mosaic_labels, "mosaic labels")
        let d = c.draws
        let draws = PerspectiveDraws(perspective: (d.perspective[0], d.perspective[1]), angle: d.angle, scale: d.scale,
                                     shear: (d.shear[0], d.shear[1]), translate: (d.translate[0], d.translate[1]))
        let (out, kept) = randomPerspective(canvas, placed, draws: draws, border: -f.s / 2)
        #expect(out.width == f.s && out.height == f.s)
        let diff = pixelDifference(out.pixels, AugmentFixture.bytes(c.output_rgb_base64))
        #expect(diff.mean <= 1, "warp: mean difference \(diff.mean) grey levels (max \(diff.max)) from cv2")
        expectBoxes(boxes(kept), c.output_labels, "warped labels")
    }

    @Test func hsvMatchesOpenCV() {
        let f = Self.fixture
        for c in f.hsv {
            var image = f.rgb(0)
            augmentHSV(&image, gains: (c.r[0], c.r[1], c.r[2]))
            let diff = pixelDifference(image.pixels, AugmentFixture.bytes(c.output_rgb_base64))
            #expect(diff.mean <= 0.05 && diff.max <= 1, "gains \(c.r): mean \(diff.mean), max \(diff.max) from cv2")
        }
    }

    @Test func letterboxMatchesYOLOv5() {
        let f = Self.fixture
        for c in f.letterbox {
            let out = letterbox(f.rgb(1), height: c.new_shape[0], width: c.new_shape[1], scaleUp: c.scaleup)
            #expect(abs(out.ratio - c.ratio[0]) < 1e-12 && abs(out.pad.x - c.pad[0]) < 1e-9 && abs(out.pad.y - c.pad[1]) < 1e-9,
                    "\(c.new_shape): ratio \(out.ratio) pad \(out.pad) vs \(c.ratio) \(c.pad)")
            let diff = pixelDifference(out.image.pixels, AugmentFixture.bytes(c.output_rgb_base64))
            #expect(diff.mean <= 0.5, "\(c.new_shape) scaleup \(c.scaleup): mean \(diff.mean), max \(diff.max) from cv2")
        }
    }

    @Test func resizeMatchesOpenCV() {
        let f = Self.fixture
        for c in f.resize {
            let src = f.rgb(c.image)
            let out = c.interpolation == "area"
                ? ImageResize.area(src, width: c.width, height: c.height)
                : ImageResize.linear(src, width: c.width, height: c.height)
            let diff = pixelDifference(out.pixels, AugmentFixture.bytes(c.output_rgb_base64))
            #expect(diff.mean <= 0.5 && diff.max <= 2, "\(c.interpolation) \(src.width)×\(src.height) → \(c.width)×\(c.height): mean \(diff.mean), max \(diff.max)")
        }
    }
}
