import CCairo

/// A drawing context on a `CairoSurface`: paths, fills, strokes and text.
///
/// The renderer's one primitive set (fill/stroke a path, text); charts draw only through it.
public final class CairoContext {
    let handle: OpaquePointer
    /// The surface drawn on, kept alive as long as the context.
    public let surface: CairoSurface

    public init(_ surface: CairoSurface) throws {
        self.surface = surface
        handle = cairo_create(surface.handle)
        try check(cairo_status(handle), "create context")
    }

    deinit { cairo_destroy(handle) }

    /// Sets the colour for the next fill, stroke or text; components in 0...1.
    public func setColor(r: Double, g: Double, b: Double, a: Double = 1) {
        cairo_set_source_rgba(handle, r, g, b, a)
    }

    public func rectangle(x: Double, y: Double, width: Double, height: Double) {
        cairo_rectangle(handle, x, y, width, height)
    }

    public func move(to x: Double, _ y: Double) { cairo_move_to(handle, x, y) }
    public func line(to x: Double, _ y: Double) { cairo_line_to(handle, x, y) }

    public func setLineWidth(_ width: Double) { cairo_set_line_width(handle, width) }

    /// Fills the current path and clears it.
    public func fill() throws {
        cairo_fill(handle)
        try check(cairo_status(handle), "fill")
    }

    /// Strokes the current path and clears it.
    public func stroke() throws {
        cairo_stroke(handle)
        try check(cairo_status(handle), "stroke")
    }

    /// Selects a font family (resolved by fontconfig) and its size in user units.
    public func setFont(family: String, size: Double, bold: Bool = false) {
        cairo_select_font_face(handle, family, CAIRO_FONT_SLANT_NORMAL,
                               bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(handle, size)
    }

    /// Draws `text` with its baseline starting at (x, y).
    public func showText(_ text: String, x: Double, y: Double) throws {
        cairo_move_to(handle, x, y)
        cairo_show_text(handle, text)
        try check(cairo_status(handle), "show text")
    }

    /// The advance width of `text` in the current font.
    public func textWidth(_ text: String) -> Double {
        var extents = cairo_text_extents_t()
        cairo_text_extents(handle, text, &extents)
        return extents.x_advance
    }
}
