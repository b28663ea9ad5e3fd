import Detection
import Engine
import Testing

/// The built-in dataset's two presets: the easy one keeps its promises image by image, and the
/// hard one still draws the bytes it drew before the presets existed.
struct ShapesDatasetTests {
    @Test func easyImagesHoldOneToThreeLargeSeparateShapesOfFourClasses() {
        for index in 0..<60 {
            let image = ShapesDataset.makeEasy(index: index, split: 0, imageSize: 64, seed: 3)
            let (w, h) = (Double(image.rgb.width), Double(image.rgb.height))
            #expect(max(image.rgb.width, image.rgb.height) == 64)
            #expect((1...3).contains(image.labels.count), "image \(index): \(image.labels.count) shapes")
            for (k, label) in image.labels.enumerated() {
                let b = label.box
                #expect((0..<4).contains(label.classID))
                #expect(b.cx - b.w / 2 >= -1e-9 && b.cx + b.w / 2 <= 1 + 1e-9 && b.cy - b.h / 2 >= -1e-9 && b.cy + b.h / 2 <= 1 + 1e-9,
                        "image \(index): a box leaves the image")
                // 30 % of the shorter side at least (a triangle's box is 0.75 of its size tall)
                #expect(max(b.w * w, b.h * h) >= 0.3 * min(w, h) * 0.75 - 1e-9)
                for other in image.labels[(k + 1)...] {
                    let o = other.box
                    let iw = min(b.cx + b.w / 2, o.cx + o.w / 2) - max(b.cx - b.w / 2, o.cx - o.w / 2)
                    let ih = min(b.cy + b.h / 2, o.cy + o.h / 2) - max(b.cy - b.h / 2, o.cy - o.h / 2)
                    #expect(iw <= 1e-9 || ih <= 1e-9, "image \(index): two shapes overlap")
                }
            }
        }
        #expect(ShapesDataset.Preset.easy.names == ["circle", "square", "triangle", "star"])
    }

    @Test func theSameSeedGivesTheSameBytesAndAnotherSeedOthers() {
        let a = ShapesDataset.makeEasy(index: 5, split: 1, imageSize: 64, seed: 0)
        let b = ShapesDataset.makeEasy(index: 5, split: 1, imageSize: 64, seed: 0)
        let c = ShapesDataset.makeEasy(index: 5, split: 1, imageSize: 64, seed: 1)
        #expect(a.rgb.pixels == b.rgb.pixels && a.labels == b.labels)
        #expect(a.rgb.pixels != c.rgb.pixels)
    }

    /// Image 0 of the hard preset as the code drew it before the easy preset was added (its
    /// pixels' SHA-256): the default dataset, and every result trained on it, is unchanged.
    @Test func theHardPresetIsUnchanged() {
        let image = ShapesDataset.make(index: 0, split: 0, imageSize: 96, seed: 0)
        #expect(SHA256.hex(image.rgb.pixels) == "724498a94bfbd91e93bf847aa04d5d6925a14cb6484b7c2895950f136c5e575f")
        #expect(image.labels.count == 2)
    }
}
