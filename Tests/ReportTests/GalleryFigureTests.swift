import Charts
import Foundation
import Report
import Results
import Testing

/// The gallery: a run's gallery.json and PNGs drawn as tiles with labelled and detected boxes.
struct GalleryFigureTests {
    /// A fixture study whose first run has a gallery of a red 40 × 30 image with one label and two
    /// detections, and an entry whose file points outside the run folder.
    func study() throws -> (URL, StudyResults) {
        let dir = try temporaryFolder("gallery")
        try StudyFixture().write(to: dir)
        let run = dir.appendingPathComponent("runs/cspdarknet__pan-sppf__s0")
        try FileManager.default.createDirectory(at: run.appendingPathComponent("gallery"), withIntermediateDirectories: true)
        let red = Scene(size: Size(20, 15), elements: [.shape(.background, .rect(Rect(x: 0, y: 0, width: 20, height: 15)), fill: Color(hex: 0xFF0000))])
        try SceneRenderer(text: PangoText()).write(red, to: run.appendingPathComponent("gallery/0.png").path)  // 2×: 40 × 30 px
        let label = Gallery.Box(classID: 1, confidence: nil, x1: 0.1, y1: 0.1, x2: 0.5, y2: 0.6)
        let detections = [Gallery.Box(classID: 1, confidence: 0.91, x1: 0.12, y1: 0.1, x2: 0.5, y2: 0.62),
                          Gallery.Box(classID: 0, confidence: 0.3, x1: 0.6, y1: 0.5, x2: 0.9, y2: 0.9)]
        let gallery = Gallery(epoch: 7, confidence: 0.25, names: ["circle", "square"], images: [
            Gallery.Image(file: "gallery/0.png", source: "val/0.png", labels: [label], detections: detections),
            Gallery.Image(file: "gallery/../../../../etc/passwd.png", source: "x", labels: [], detections: []),
        ])
        try ResultFiles.writeJSON(gallery, to: run.appendingPathComponent("gallery.json").path)
        return (dir, try StudyResults(path: dir.path))
    }

    @Test func aRunWithAGalleryGetsATileFigureInItsCellSection() throws {
        let (dir, folder) = try study()
        defer { try? FileManager.default.removeItem(at: dir) }
        let figures = ReportFigures.all(folder, .en)
        let galleries = figures.filter { $0.name.hasPrefix("gallery-") }
        #expect(galleries.map(\.name).contains("gallery-cspdarknet__pan-sppf"))
        let figure = try #require(galleries.first { $0.name == "gallery-cspdarknet__pan-sppf" })
        #expect(figure.section == .cell("cspdarknet__pan-sppf"))
        #expect(figure.title.contains("best epoch 7") && figure.title.contains("seed 0") && figure.title.contains("0.25"))

        let scene = figure.scene(ChartLayout(measurer: PangoText()), width: ReportFigures.width)
        let images = scene.elements(.photo).compactMap { e -> String? in
            if case .image(let file, _) = e.primitive { return file }
            return nil
        }
        #expect(images.count == 2)
        #expect(images[0].hasSuffix("runs/cspdarknet__pan-sppf__s0/gallery/0.png"))
        #expect(images[1] == "", "a file outside the run's gallery folder is never read")
        // a label: white under a dashed line; a detection: its box and its name tag
        #expect(scene.paths(.box).count == 2 + 2 * 2)
        #expect(scene.texts(.annotation).map(\.text) == ["circle 0.30", "square 0.91"])
        #expect(scene.texts(.legendLabel).map(\.text).contains("square"))
    }

    @Test func theImageIsDrawnUnderItsBoxes() throws {
        let (dir, folder) = try study()
        defer { try? FileManager.default.removeItem(at: dir) }
        let figure = try #require(ReportFigures.all(folder, .en).first { $0.name == "gallery-cspdarknet__pan-sppf" })
        let scene = figure.scene(ChartLayout(measurer: PangoText()), width: ReportFigures.width)
        let path = dir.appendingPathComponent("gallery.png").path
        try SceneRenderer(text: PangoText()).write(scene, to: path)
        let png = try CairoSurface.readPNG(path)
        let box = try #require(scene.elements(.photo).compactMap { e -> Rect? in
            if case .image(let file, let box) = e.primitive, !file.isEmpty { return box }
            return nil
        }.first)
        // bottom-left of the image: no box there, so the image's own red
        let p = png.pixel(x: Int((box.x + box.width * 0.05) * 2), y: Int((box.y + box.height * 0.95) * 2))
        #expect(p.r > 200 && p.g < 60 && p.b < 60, "got \(p)")
        #expect(box.width / box.height == 40.0 / 30.0)
    }
}
