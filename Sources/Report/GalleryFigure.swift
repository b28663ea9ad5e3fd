import Charts
import Foundation
import Results

/// A cell's detections drawn on its first validation images: each image in a tile, the labelled
/// boxes dashed, every detection above the gallery's confidence in its class colour with its name
/// and confidence — so a reader sees what the numbers mean. From the cell's first finished seed.
public struct GalleryFigure: Sendable {
    public let title: String
    let gallery: Gallery
    let folder: String
    let columns: Int
    let legendNote: String

    /// The gallery of `cell`'s first finished run with one, its first `limit` images in `columns`
    /// tiles per row; nil without one.
    init?(cell: CellRecord, study: StudyResults, strings: Strings, columns: Int, limit: Int = .max) {
        guard let run = cell.finishedRuns.first(where: { $0.gallery != nil }), var gallery = run.gallery, !gallery.images.isEmpty else {
            return nil
        }
        gallery.images = Array(gallery.images.prefix(limit))
        self.gallery = gallery
        folder = run.layout.path
        self.columns = columns
        title = strings.galleryTitle(cell: cell.name, seed: run.seed, epoch: gallery.epoch, confidence: gallery.confidence)
        legendNote = strings.groundTruth
    }

    func scene(measurer: any TextMeasurer, width: Double) -> Scene {
        let theme = Theme.standard
        let pad = theme.gap * 1.5, gap = theme.gap
        let inner = width - 2 * pad
        var items: [Element] = []
        var y = pad
        let titleSize = measurer.measure(title, style: theme.title, wrapWidth: inner)
        items.append(.text(.title, TextItem(text: title, style: theme.title, box: Rect(x: pad, y: y, width: titleSize.width, height: titleSize.height),
                                            wrapWidth: inner)))
        y += titleSize.height + gap * 1.5
        let tile = (inner - Double(columns - 1) * gap) / Double(columns)
        let tagStyle = TextStyle(size: columns > 4 ? 5 : 6.5, bold: true, color: .white)
        for (k, image) in gallery.images.enumerated() {
            let frame = Rect(x: pad + Double(k % columns) * (tile + gap), y: y + Double(k / columns) * (tile + gap), width: tile, height: tile)
            items.append(Element(.photo, .clip(frame, tileElements(image, frame: frame, tagStyle: tagStyle, measurer: measurer))))
        }
        let rows = (gallery.images.count + columns - 1) / columns
        y += Double(rows) * tile + Double(max(0, rows - 1)) * gap + gap * 2
        let classes = Set(gallery.images.flatMap { $0.detections.map(\.classID) + $0.labels.map(\.classID) }).sorted()
        var entries = classes.map { LegendEntry(name($0), .fill(Palette.color($0))) }
        entries.append(LegendEntry(legendNote, .line(SeriesStyle(color: .ink, dash: [2.5, 1.5], width: 1))))
        let legend = LegendLayout(entries, maxWidth: inner, singleColumn: false, measurer: measurer, theme: theme)
        items += legend.elements(at: Point(pad, y))
        y += legend.size.height
        let size = Size(width, (y + pad).rounded(.up))
        return Scene(size: size, elements: [.shape(.background, .rect(Rect(x: 0, y: 0, width: size.width, height: size.height)), fill: .white)]
                     + items)
    }

    func name(_ classID: Int) -> String { classID >= 0 && classID < gallery.names.count ? gallery.names[classID] : "\(classID)" }

    /// The image fitted into `frame` (aspect kept, centred on grey), its labels, then its detections.
    func tileElements(_ image: Gallery.Image, frame: Rect, tagStyle: TextStyle, measurer: any TextMeasurer) -> [Element] {
        // gallery.json comes from a folder that may be someone else's: only its own gallery/<k>.png is read
        let safe = image.file.hasPrefix("gallery/") && image.file.hasSuffix(".png")
            && image.file.dropFirst(8).dropLast(4).allSatisfy { $0.isASCII && $0.isNumber } && image.file.count > 12
        let file = safe ? (folder as NSString).appendingPathComponent(image.file) : ""
        let (w, h) = Self.pngSize(file) ?? (1, 1)
        let scale = min(frame.width / Double(w), frame.height / Double(h))
        let box = Rect(x: frame.x + (frame.width - Double(w) * scale) / 2, y: frame.y + (frame.height - Double(h) * scale) / 2,
                       width: Double(w) * scale, height: Double(h) * scale)
        var out: [Element] = [.shape(.panel, .rect(frame), fill: Color(hex: 0xEEEEEE)), Element(.photo, .image(file: file, box: box))]
        func rect(_ b: Gallery.Box) -> Rect {
            Rect(x: box.x + b.x1 * box.width, y: box.y + b.y1 * box.height, width: (b.x2 - b.x1) * box.width, height: (b.y2 - b.y1) * box.height)
        }
        for label in image.labels {
            out.append(.shape(.box, .rect(rect(label)), stroke: Stroke(.white, width: 1.6)))
            out.append(.shape(.box, .rect(rect(label)), stroke: Stroke(.ink, width: 0.8, dash: [2.5, 1.5])))
        }
        for d in image.detections.sorted(by: { ($0.confidence ?? 0) < ($1.confidence ?? 0) }) {
            let r = rect(d), color = Palette.color(d.classID)
            out.append(.shape(.box, .rect(r), stroke: Stroke(color, width: 1.2)))
            let text = String(format: "%@ %.2f", name(d.classID), d.confidence ?? 0)
            let s = measurer.measure(text, style: tagStyle, wrapWidth: nil)
            let tagY = r.y - s.height - 1 >= frame.y ? r.y - s.height - 1 : r.y
            let tag = Rect(x: min(max(r.x, frame.x), frame.x + frame.width - s.width - 2), y: tagY, width: s.width + 2, height: s.height + 1)
            out.append(.shape(.box, .rect(tag), fill: color))
            out.append(.text(.annotation, TextItem(text: text, style: tagStyle, box: Rect(x: tag.x + 1, y: tag.y + 0.5, width: s.width, height: s.height))))
        }
        return out
    }

    /// A PNG's width and height from its IHDR chunk, without decoding it.
    static func pngSize(_ path: String) -> (Int, Int)? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 24), head.count == 24,
              head.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { return nil }
        let bytes = [UInt8](head)
        func be32(_ i: Int) -> Int { bytes[i..<i + 4].reduce(0) { $0 << 8 | Int($1) } }
        let (w, h) = (be32(16), be32(20))
        return w > 0 && h > 0 && w < 1 << 20 && h < 1 << 20 ? (w, h) : nil
    }
}
