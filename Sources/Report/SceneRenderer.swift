import CCairo
import Charts
import Foundation
import Results

/// Draws a `Scene` with direct Cairo calls — one drawing code for PNG (at 2×), SVG and PDF,
/// chosen by the file extension.
public struct SceneRenderer {
    public let text: PangoText
    /// Written into every PDF as its creation date (ISO 8601), so the same inputs give the same bytes.
    public var creationDate: String

    public init(text: PangoText, creationDate: String = "2000-01-01T00:00:00Z") {
        (self.text, self.creationDate) = (text, creationDate)
    }

    /// Pixels per scene unit in PNG files.
    public static let pngScale = 2.0

    /// Writes `scene` to `path`: `.png` at 2×, `.svg` or `.pdf` as vectors.
    public func write(_ scene: Scene, to path: String, title: String = "") throws {
        switch (path as NSString).pathExtension.lowercased() {
        case "png":
            let s = Self.pngScale
            let surface = try CairoSurface(width: Int((scene.size.width * s).rounded(.up)),
                                           height: Int((scene.size.height * s).rounded(.up)))
            let context = try CairoContext(surface)
            cairo_scale(context.handle, s, s)
            try draw(scene, on: context)
            try surface.writePNG(to: path)
        default:
            let surface = try CairoSurface(path: path, width: scene.size.width, height: scene.size.height)
            if surface.kind == .pdf { surface.setPDFMetadata(title: title, created: creationDate) }
            let context = try CairoContext(surface)
            try draw(scene, on: context)
            try surface.finish()
            if surface.kind == .svg { try Self.renumberSurfaces(path) }
        }
    }

    /// Cairo names SVG groups `surfaceN` from a counter shared by the whole process; renumbering
    /// them from 1 in each file makes the bytes depend on the drawing alone.
    static func renumberSurfaces(_ path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var names: [Substring: String] = [:]
        var out = ""
        var rest = text[...]
        while let r = rest.range(of: "surface") {
            out += rest[..<r.upperBound]
            rest = rest[r.upperBound...]
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty else { continue }
            if names[digits] == nil { names[digits] = "\(names.count + 1)" }
            out += names[digits]!
            rest = rest[digits.endIndex...]
        }
        out += rest
        try ResultFiles.writeAtomically(Data(out.utf8), to: path)
    }

    /// Draws `scene` on `context` at the context's current transformation.
    public func draw(_ scene: Scene, on context: CairoContext) throws {
        let cr = context.handle
        drawElements(scene.elements, on: cr)
        try check(cairo_status(cr), "draw scene")
    }

    /// Draws elements on a raw Cairo context (the PDF report places scenes on its pages).
    func drawElements(_ elements: [Element], on cr: OpaquePointer) {
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
        draw(elements, on: cr)
    }

    func draw(_ elements: [Element], on cr: OpaquePointer) {
        for element in elements {
            switch element.primitive {
            case .shape(let path, let fill, let stroke):
                trace(path, on: cr)
                if let fill {
                    cairo_set_source_rgba(cr, fill.r, fill.g, fill.b, fill.a)
                    if stroke != nil { cairo_fill_preserve(cr) } else { cairo_fill(cr) }
                }
                if let stroke {
                    cairo_set_source_rgba(cr, stroke.color.r, stroke.color.g, stroke.color.b, stroke.color.a)
                    cairo_set_line_width(cr, stroke.width)
                    cairo_set_dash(cr, stroke.dash, Int32(stroke.dash.count), 0)
                    cairo_stroke(cr)
                }
                cairo_new_path(cr)
            case .text(let item):
                text.draw(item, on: cr)
            case .image(let file, let box):
                drawImage(file, in: box, on: cr)
            case .clip(let rect, let inner):
                cairo_save(cr)
                cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
                cairo_clip(cr)
                draw(inner, on: cr)
                cairo_restore(cr)
            }
        }
    }

    /// Paints a PNG scaled into `box` (smoothly); a file that cannot be read leaves a grey box.
    func drawImage(_ file: String, in box: Rect, on cr: OpaquePointer) {
        let image = cairo_image_surface_create_from_png(file)
        defer { cairo_surface_destroy(image) }
        let w = Double(cairo_image_surface_get_width(image)), h = Double(cairo_image_surface_get_height(image))
        cairo_save(cr)
        cairo_rectangle(cr, box.x, box.y, box.width, box.height)
        guard cairo_surface_status(image) == CAIRO_STATUS_SUCCESS, w > 0, h > 0 else {
            cairo_set_source_rgb(cr, 0.85, 0.85, 0.85)
            cairo_fill(cr)
            cairo_restore(cr)
            return
        }
        cairo_clip(cr)
        cairo_translate(cr, box.x, box.y)
        cairo_scale(cr, box.width / w, box.height / h)
        cairo_set_source_surface(cr, image, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD)
        cairo_paint(cr)
        cairo_restore(cr)
    }

    func trace(_ path: Path, on cr: OpaquePointer) {
        cairo_new_path(cr)
        for element in path.elements {
            switch element {
            case .move(let p): cairo_move_to(cr, p.x, p.y)
            case .line(let p): cairo_line_to(cr, p.x, p.y)
            case .circle(let c, let r):
                cairo_new_sub_path(cr)
                cairo_arc(cr, c.x, c.y, r, 0, 2 * Double.pi)
                cairo_close_path(cr)
            case .close: cairo_close_path(cr)
            }
        }
    }
}
