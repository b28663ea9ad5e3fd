import CCairo
import Charts

/// Flows blocks down A4 pages of a PDF: headings kept with what follows, paragraphs wrapped,
/// figures as vectors, tables that break across pages with their heads repeated, and a footer
/// with "page n / N". Laid out twice: once to count pages, once to draw.
final class PageFlow {
    static let a4 = Size(595.276, 841.89)
    static let margin = (top: 42.0, side: 36.0, bottom: 50.0)
    var width: Double { Self.a4.width - 2 * Self.margin.side }
    var bottom: Double { Self.a4.height - Self.margin.bottom }

    let text: PangoText
    let renderer: SceneRenderer
    /// nil while counting pages.
    let cr: OpaquePointer?
    let surface: CairoSurface?
    let footer: String
    let pageLabel: String
    let totalPages: Int
    private(set) var page = 1
    var y = margin.top

    init(text: PangoText, renderer: SceneRenderer, surface: CairoSurface?, context: CairoContext?, footer: String,
         pageLabel: String, totalPages: Int) {
        (self.text, self.renderer, self.surface, self.cr) = (text, renderer, surface, context?.handle)
        (self.footer, self.pageLabel, self.totalPages) = (footer, pageLabel, totalPages)
    }

    var left: Double { Self.margin.side }

    func newPage() {
        drawFooter()
        if let cr { cairo_show_page(cr) }
        page += 1
        y = Self.margin.top
    }

    /// Ends the document's last page.
    func finish() { drawFooter() }

    func drawFooter() {
        let style = TextStyle(size: 7, color: .muted)
        let number = pageLabel == "第" ? "第 \(page) / \(totalPages) 页" : "\(pageLabel) \(page) / \(totalPages)"
        let s = text.measure(number, style: style, wrapWidth: nil)
        let baseY = Self.a4.height - Self.margin.bottom + 18
        draw(TextItem(text: number, style: style, box: Rect(x: Self.a4.width - Self.margin.side - s.width, y: baseY, width: s.width, height: s.height)))
        let f = text.measure(footer, style: style, wrapWidth: width * 0.7)
        draw(TextItem(text: footer, style: style, box: Rect(x: left, y: baseY, width: f.width, height: f.height), wrapWidth: width * 0.7))
    }

    func draw(_ item: TextItem) { if let cr { text.draw(item, on: cr) } }

    /// Starts a new page unless `height` more fits on this one.
    func ensure(_ height: Double) {
        if y + height > bottom, y > Self.margin.top + 1 { newPage() }
    }

    /// Adds a PDF outline entry pointing here (level 0 for sections, 1 below).
    func outline(_ title: String, parent: Int32 = 0) -> Int32 {
        guard let surface else { return 0 }
        return surface.addOutline(title, parent: parent, page: page, y: y)
    }

    func heading(_ title: String, size: Double = 15, keepWith: Double = 120) {
        let style = TextStyle(size: size, bold: true, color: Color(hex: 0x332288))
        let s = text.measure(title, style: style, wrapWidth: width)
        ensure(s.height + keepWith)
        y += size * 0.4
        draw(TextItem(text: title, style: style, box: Rect(x: left, y: y, width: s.width, height: s.height), wrapWidth: width))
        y += s.height + size * 0.5
    }

    func paragraph(_ body: String, style: TextStyle = TextStyle(size: 9), indent: Double = 0, background: Color? = nil) {
        let w = width - indent - (background == nil ? 0 : 16)
        let s = text.measure(body, style: style, wrapWidth: w)
        let pad = background == nil ? 0.0 : 8
        ensure(s.height + 2 * pad)
        if let background, let cr {
            cairo_set_source_rgba(cr, background.r, background.g, background.b, background.a)
            cairo_rectangle(cr, left + indent, y, width - indent, s.height + 2 * pad)
            cairo_fill(cr)
        }
        draw(TextItem(text: body, style: style, box: Rect(x: left + indent + pad, y: y + pad, width: s.width, height: s.height), wrapWidth: w))
        y += s.height + 2 * pad + style.size * 0.6
    }

    /// Lines of monospace text, broken across pages between lines.
    func preformatted(_ body: String, size: Double = 6.5) {
        let style = TextStyle(size: size, monospace: true, color: .ink)
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
            let t = line.isEmpty ? " " : String(line)
            let s = text.measure(t, style: style, wrapWidth: width)
            ensure(s.height)
            draw(TextItem(text: t, style: style, box: Rect(x: left, y: y, width: s.width, height: s.height), wrapWidth: width))
            y += s.height
        }
        y += size
    }

    /// A figure's scene at full text width, on a new page when it does not fit (scaled down when
    /// it is taller than a page).
    func figure(_ scene: Scene) {
        let scale = figureScale(scene)
        let h = scene.size.height * scale
        ensure(h)
        if let cr {
            cairo_save(cr)
            cairo_translate(cr, left, y)
            cairo_scale(cr, scale, scale)
            cairo_rectangle(cr, 0, 0, scene.size.width, scene.size.height)
            cairo_clip(cr)
            renderer.drawElements(scene.elements, on: cr)
            cairo_restore(cr)
        }
        y += h + 8
    }

    func figureScale(_ scene: Scene) -> Double {
        min(1, width / scene.size.width, (bottom - Self.margin.top) / scene.size.height)
    }

    func figureHeight(_ scene: Scene) -> Double { scene.size.height * figureScale(scene) + 8 }

    /// A table: heads repeated on every page it spans; `emphasis` rows shaded, `muted` rows grey.
    func table(heads: [String], rows: [[String]], emphasis: Set<Int> = [], muted: Set<Int> = [], size: Double = 6.5,
               noWrapColumn: Int? = 0) {
        let style = TextStyle(size: size), headStyle = TextStyle(size: size, bold: true)
        let pad = 3.0
        let columns = heads.count
        // Each column as wide as its longest cell, or, when the table is too wide, as its longest word
        // plus an even share of what is left (the no-wrap column keeps its full width).
        func words(_ s: String, _ st: TextStyle) -> Double {
            s.split(separator: " ").map { text.measure(String($0), style: st, wrapWidth: nil).width }.max() ?? 0
        }
        var natural = (0..<columns).map { c -> Double in
            let values = rows.map { text.measure($0[c], style: style, wrapWidth: nil).width }
            return max(values.max() ?? 0, words(heads[c], headStyle)) + 2 * pad
        }
        let minimum = (0..<columns).map { c -> Double in
            c == noWrapColumn ? natural[c] : max(rows.map { words($0[c], style) }.max() ?? 0, words(heads[c], headStyle)) + 2 * pad
        }
        let total = natural.reduce(0, +), floor = minimum.reduce(0, +)
        if total > width {
            let factor = max(0, (width - floor) / max(1e-9, total - floor))
            natural = (0..<columns).map { minimum[$0] + (natural[$0] - minimum[$0]) * factor }
        }
        func rowHeight(_ cells: [String], _ st: TextStyle) -> Double {
            zip(cells, natural).map { text.measure($0, style: st, wrapWidth: $1 - 2 * pad).height }.max() ?? 0
        }
        func drawRow(_ cells: [String], _ st: TextStyle, fill: Color?) {
            let h = rowHeight(cells, st) + 2 * pad
            if let cr, let fill {
                cairo_set_source_rgba(cr, fill.r, fill.g, fill.b, fill.a)
                cairo_rectangle(cr, left, y, natural.reduce(0, +), h)
                cairo_fill(cr)
            }
            var x = left
            for (cell, w) in zip(cells, natural) {
                let s = text.measure(cell, style: st, wrapWidth: w - 2 * pad)
                draw(TextItem(text: cell, style: st, box: Rect(x: x + pad, y: y + pad, width: s.width, height: s.height), wrapWidth: w - 2 * pad))
                x += w
            }
            if let cr {
                cairo_set_source_rgba(cr, 0.85, 0.85, 0.85, 1)
                cairo_set_line_width(cr, 0.4)
                cairo_move_to(cr, left, y + h)
                cairo_line_to(cr, left + natural.reduce(0, +), y + h)
                cairo_stroke(cr)
            }
            y += h
        }
        let headHeight = rowHeight(heads, headStyle) + 2 * pad
        ensure(headHeight + rowHeight(rows.first ?? heads, style) + 2 * pad)
        drawRow(heads, headStyle, fill: Color(hex: 0xEEEEEE))
        for (i, row) in rows.enumerated() {
            var st = style
            if muted.contains(i) { st.color = .muted }
            if y + rowHeight(row, st) + 2 * pad > bottom {
                newPage()
                drawRow(heads, headStyle, fill: Color(hex: 0xEEEEEE))
            }
            drawRow(row, st, fill: emphasis.contains(i) ? Color(hex: 0xFFF6D5) : nil)
        }
        y += 10
    }
}

extension CairoSurface {
    /// Adds an outline (bookmark) entry to a PDF pointing at `page`, `y`; returns its id.
    func addOutline(_ title: String, parent: Int32, page: Int, y: Double) -> Int32 {
        cairo_pdf_surface_add_outline(handle, parent, title, "page=\(page) pos=[0 \(Int(y))]", CAIRO_PDF_OUTLINE_FLAG_OPEN)
    }
}
