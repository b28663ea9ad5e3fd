import CCairo
import Charts
import Foundation
import Results

/// An image with its detections drawn as detect.py draws them: a box in the class's colour and a
/// tag with the class name and confidence, at the image's own size.
public enum DetectionPicture {
    /// Draws `detections` (coordinates normalised to the image) over the PNG at `image` and writes
    /// a PNG of the same size to `path`.
    public static func write(image: String, width: Int, height: Int, detections: [Gallery.Box], names: [String],
                             to path: String) throws {
        let text = PangoText()
        let size = Double(max(width, height))
        let tagStyle = TextStyle(size: max(7, size / 60), bold: true, color: .white)
        let line = max(1.5, size / 300)
        let frame = Rect(x: 0, y: 0, width: Double(width), height: Double(height))
        var elements: [Element] = [Element(.photo, .image(file: image, box: frame))]
        for d in detections.sorted(by: { ($0.confidence ?? 0) < ($1.confidence ?? 0) }) {
            let r = Rect(x: d.x1 * frame.width, y: d.y1 * frame.height, width: (d.x2 - d.x1) * frame.width, height: (d.y2 - d.y1) * frame.height)
            let color = Palette.color(d.classID)
            elements.append(.shape(.box, .rect(r), stroke: Stroke(color, width: line)))
            let name = d.classID >= 0 && d.classID < names.count ? names[d.classID] : "\(d.classID)"
            let label = String(format: "%@ %.2f", name, d.confidence ?? 0)
            let s = text.measure(label, style: tagStyle, wrapWidth: nil)
            let tag = Rect(x: min(max(r.x, 0), max(0, frame.width - s.width - 4)), y: r.y - s.height - 2 >= 0 ? r.y - s.height - 2 : r.y,
                           width: s.width + 4, height: s.height + 2)
            elements.append(.shape(.box, .rect(tag), fill: color))
            elements.append(.text(.annotation, TextItem(text: label, style: tagStyle, box: Rect(x: tag.x + 2, y: tag.y + 1, width: s.width, height: s.height))))
        }
        let surface = try CairoSurface(width: width, height: height)
        let context = try CairoContext(surface)
        try SceneRenderer(text: text).draw(Scene(size: Size(Double(width), Double(height)), elements: elements), on: context)
        try surface.writePNG(to: path)
    }
}
