import CCairo
import CPango
import Charts

/// Text through Pango: one layout code measures text for chart layout and draws it, so a label
/// takes exactly the room it was given. DejaVu Sans first, Noto Sans CJK for what DejaVu lacks
/// (fontconfig's fallback), bidirectional text and word-or-character wrapping by Pango.
public final class PangoText: TextMeasurer {
    /// The font families, in fallback order.
    public static let sans = "DejaVu Sans, Noto Sans CJK SC, Noto Sans Arabic, Noto Sans Hebrew"
    public static let mono = "DejaVu Sans Mono, Noto Sans Mono CJK SC"

    let context: OpaquePointer
    let options: OpaquePointer

    /// A measurer for text in `language` ("en", "zh"), which picks CJK glyph forms.
    public init(language: String = "en") {
        context = pango_font_map_create_context(pango_cairo_font_map_get_default())
        options = cairo_font_options_create()
        // Unhinted metrics: the same advances at 1× (PDF, SVG) and 2× (PNG), so layout holds on every surface.
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        pango_cairo_context_set_font_options(context, options)
        pango_context_set_language(context, pango_language_from_string(language == "zh" ? "zh-cn" : "en"))
    }

    deinit {
        g_object_unref(UnsafeMutableRawPointer(context))
        cairo_font_options_destroy(options)
    }

    public func measure(_ text: String, style: TextStyle, wrapWidth: Double?) -> Size {
        let layout = self.layout(text, style: style, wrapWidth: wrapWidth, maxWidth: nil, centered: false)
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        return extent(layout)
    }

    /// A Pango layout of `text`; the caller releases it with `g_object_unref`.
    func layout(_ text: String, style: TextStyle, wrapWidth: Double?, maxWidth: Double?, centered: Bool) -> OpaquePointer {
        let layout = pango_layout_new(context)!
        let font = pango_font_description_from_string(style.monospace ? Self.mono : Self.sans)
        pango_font_description_set_absolute_size(font, style.size * Double(PANGO_SCALE))
        pango_font_description_set_weight(font, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        pango_layout_set_font_description(layout, font)
        pango_font_description_free(font)
        pango_layout_set_text(layout, text, -1)
        if let wrapWidth {
            pango_layout_set_width(layout, Int32(wrapWidth * Double(PANGO_SCALE)))
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        } else if let maxWidth {
            pango_layout_set_width(layout, Int32(maxWidth * Double(PANGO_SCALE)))
            pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END)
        }
        pango_layout_set_alignment(layout, centered ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT)
        return layout
    }

    /// The logical size of a layout in user units.
    func extent(_ layout: OpaquePointer) -> Size {
        var logical = PangoRectangle()
        pango_layout_get_extents(layout, nil, &logical)
        return Size(Double(logical.width) / Double(PANGO_SCALE), Double(logical.height) / Double(PANGO_SCALE))
    }

    /// Draws `item` on `cr` with its layout's top-left corner at the box's origin (turned as asked).
    func draw(_ item: TextItem, on cr: OpaquePointer) {
        let wrap = item.wrapWidth
        let layout = self.layout(item.text, style: item.style, wrapWidth: wrap, maxWidth: item.maxWidth,
                                 centered: item.centered)
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        var logical = PangoRectangle()
        pango_layout_get_extents(layout, nil, &logical)
        let dx = -Double(logical.x) / Double(PANGO_SCALE)
        cairo_save(cr)
        let c = item.style.color
        cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a)
        if item.quarterTurns % 4 == 1 {
            cairo_translate(cr, item.box.minX, item.box.maxY)
            cairo_rotate(cr, -Double.pi / 2)
        } else {
            cairo_translate(cr, item.box.minX, item.box.minY)
        }
        cairo_move_to(cr, dx, -Double(logical.y) / Double(PANGO_SCALE))
        pango_cairo_show_layout(cr, layout)
        cairo_restore(cr)
    }
}
