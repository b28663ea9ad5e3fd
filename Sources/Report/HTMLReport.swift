import Charts
import Foundation
import Results

/// report.html: one self-contained file — inline SVG charts and CSS, one small sorting script
/// pinned by a Content-Security-Policy hash, nothing fetched. Every user string is escaped.
struct HTMLReport {
    let study: StudyResults
    let strings: Strings
    let figures: [ReportFigure]
    /// Each figure's SVG file text, in the order of `figures`.
    let svgs: [String]

    func page() -> String {
        let s = strings
        let esc = HTMLText.escape
        let script = Self.sortScript
        var h = """
            <!DOCTYPE html>
            <html lang="\(s.language == "zh" ? "zh-Hans" : "en")">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src \(HTMLText.cspHash(script))">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="studyctl \(CodeVersion.string)">
            <title>\(esc(study.title)) — \(esc(s.report))</title>
            <style>\(Self.css)</style>
            </head>
            <body>
            <header><p class="kind">\(esc(s.report))</p><h1 dir="auto">\(esc(study.title))</h1>

            """
        if let d = study.manifest?.description, !d.isEmpty { h += "<p class=\"desc\" dir=\"auto\">\(esc(d))</p>\n" }
        h += "</header>\n<nav><h2>\(esc(s.contents))</h2><ol>"
        for (id, title) in [("recommendation", s.recommendation), ("table", s.comparisonTable), ("charts", s.comparisonCharts),
                            ("networks", s.networks), ("cells", s.cells), ("study", s.studyFile), ("manifest", s.manifest)] {
            h += "<li><a href=\"#\(id)\">\(esc(title))</a></li>"
        }
        h += "</ol></nav>\n<main>\n"
        let rows = TableRows(study: study, strings: s)
        h += "<section id=\"recommendation\"><h2>\(esc(s.recommendation))</h2>\n"
        h += "<p class=\"rec\" dir=\"auto\">\(esc(rows.recommendationSentence()))</p>\n"
        if let rule = rows.ruleSentence() { h += "<p><b>\(esc(s.rule)):</b> \(esc(rule))</p>\n" }
        if let noise = rows.noiseSentence() { h += "<p><b>\(esc(s.seedNoise)):</b> <span dir=\"auto\">\(esc(noise))</span></p>\n" }
        if let deploy = rows.deploySentence() { h += "<p dir=\"auto\">\(esc(deploy))</p>\n" }
        if let pretrained = rows.pretrainedSentence() { h += "<p dir=\"auto\">\(esc(pretrained))</p>\n" }
        if let rec = study.recommendation {
            if !rec.missing.isEmpty {
                h += "<p class=\"missing\"><b>\(esc(s.unfinished)):</b> \(rec.missing.map { "<code>\(esc($0))</code>" }.joined(separator: ", "))</p>\n"
            }
        }
        h += figureHTML { $0 == .overview }
        h += "</section>\n"
        h += table(rows)
        h += "<section id=\"charts\"><h2>\(esc(s.comparisonCharts))</h2>\n\(figureHTML { $0 == .comparison })</section>\n"
        h += "<section id=\"networks\"><h2>\(esc(s.networks))</h2>\n"
        for b in study.backbones {
            h += "<h3 id=\"net-\(esc(ReportFigures.fileName(b)))\">\(esc(b))</h3>\n\(figureHTML { $0 == .network(b) })"
        }
        h += "</section>\n<section id=\"cells\"><h2>\(esc(s.cells))</h2>\n"
        for cell in study.cells {
            let state = CellStyles.stateNote(cell, s).map { " <span class=\"state\">(\(esc($0)))</span>" } ?? ""
            h += "<details><summary><code>\(esc(cell.name))</code>\(state)</summary>\n"
            h += figureHTML { $0 == .cell(cell.name) }
            if let curves = cell.finishedRuns.first?.curves { h += classTable(curves) }
            h += "</details>\n"
        }
        h += "</section>\n<section id=\"study\"><h2>\(esc(s.studyFile))</h2>\n"
        h += "<pre dir=\"ltr\">\(esc(study.studyFile ?? "—"))</pre></section>\n"
        h += "<section id=\"manifest\"><h2>\(esc(s.manifest))</h2>\n"
        if let m = study.manifest {
            h += "<h3>\(esc(s.reproduce))</h3><pre dir=\"ltr\">\(esc(m.command))</pre>\n"
            h += "<pre dir=\"ltr\">\(esc(String(decoding: ResultFiles.json(m), as: UTF8.self)))</pre>\n"
        } else {
            h += "<p>—</p>\n"
        }
        h += "</section>\n</main>\n<script>\(script)</script>\n</body>\n</html>\n"
        return h
    }

    func figureHTML(_ where: (ReportFigure.Section) -> Bool) -> String {
        zip(figures, svgs).enumerated().filter { `where`($0.element.0.section) }.map { i, pair in
            let (figure, svg) = pair
            return "<figure id=\"fig-\(HTMLText.escape(figure.name))\">\(InlineSVG.make(svg, prefix: "f\(i)", label: figure.title))</figure>\n"
        }.joined()
    }

    func table(_ rows: TableRows) -> String {
        let s = strings
        let esc = HTMLText.escape
        let latency = rows.latencySentence().map { " " + esc($0) } ?? ""
        var h = "<section id=\"table\"><h2>\(esc(s.comparisonTable))</h2>\n<p class=\"hint\">\(esc(s.sortHint)) \(esc(s.intervalNote))\(latency)</p>\n"
        h += "<div class=\"scroll\"><table class=\"sortable\"><thead><tr><th tabindex=\"0\">\(esc(s.cell))</th><th tabindex=\"0\">\(esc(s.seeds))</th>"
        h += rows.heads(study.recommendation).map { "<th tabindex=\"0\" class=\"num\">\(esc($0))</th>" }.joined()
        h += "</tr></thead>\n<tbody>\n"
        for row in rows.rows() {
            let cls = [row.recommended ? "recommended" : nil, row.finished ? nil : "unfinished"].compactMap { $0 }.joined(separator: " ")
            h += "<tr\(cls.isEmpty ? "" : " class=\"\(cls)\"")><td data-v=\"\(esc(row.cell))\"><code>\(esc(row.cell))</code>"
            if row.recommended { h += " <span class=\"badge\">★ \(esc(s.recommended))</span>" }
            h += "</td><td data-v=\"\(esc(row.seeds))\">\(esc(row.seeds))</td>"
            for v in row.values {
                // A narrow window breaks "0.353 ± 0.028" before the ± only, never inside a figure.
                let text = esc(v.text).replacingOccurrences(of: " ± ", with: " ±&nbsp;")
                h += "<td class=\"num\" data-v=\"\(v.number.map { String($0) } ?? "")\">\(text)</td>"
            }
            h += "</tr>\n"
        }
        return h + "</tbody></table></div></section>\n"
    }

    /// Per-class figures of a cell's first finished run: where class names show as text.
    func classTable(_ c: Curves) -> String {
        let esc = HTMLText.escape
        let s = strings
        var h = "<table class=\"classes\"><thead><tr><th>class</th><th class=\"num\">labels</th><th class=\"num\">P</th>"
        h += "<th class=\"num\">R</th><th class=\"num\">\(esc(s.map50))</th><th class=\"num\">\(esc(s.map5095))</th></tr></thead><tbody>\n"
        for (k, cls) in c.classes.enumerated() {
            let name = cls < c.names.count ? c.names[cls] : "\(cls)"
            func at(_ a: [Double]) -> String { k < a.count ? String(format: "%.3f", a[k]) : "—" }
            h += "<tr><td dir=\"auto\">\(esc(name))</td><td class=\"num\">\(k < c.instances.count ? "\(c.instances[k])" : "—")</td>"
            h += "<td class=\"num\">\(at(c.classPrecision))</td><td class=\"num\">\(at(c.classRecall))</td>"
            h += "<td class=\"num\">\(at(c.ap50))</td><td class=\"num\">\(at(c.ap50to95))</td></tr>\n"
        }
        return h + "</tbody></table>\n"
    }

    static let css = """
        body{font-family:"DejaVu Sans","Noto Sans CJK SC",sans-serif;color:#222;margin:0 auto;max-width:1100px;padding:0 24px 48px;line-height:1.45}
        header{border-bottom:2px solid #332288;margin-bottom:16px}.kind{color:#555;margin:16px 0 0;font-size:14px}
        h1{margin:4px 0 8px;font-size:26px}h2{margin-top:36px;border-bottom:1px solid #ddd}h3{margin-top:24px}
        .desc{color:#444}nav ol{columns:2;padding-left:20px}.rec{font-size:18px;background:#eef3fb;border-left:4px solid #332288;padding:10px 14px}
        .missing{color:#8a4b00}figure{margin:12px 0}figure svg{width:100%;height:auto;max-width:900px;display:block}
        .scroll{overflow-x:auto}table{border-collapse:collapse;font-size:13px;margin:8px 0}th,td{padding:4px 8px;border-bottom:1px solid #e2e2e2;text-align:left}
        th{background:#f4f4f4;position:sticky;top:0;cursor:pointer;user-select:none}th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
        .num{text-align:right;font-variant-numeric:tabular-nums}th{vertical-align:bottom}table.sortable code{white-space:nowrap}tr.recommended{background:#fff6d5}tr.unfinished{color:#777}
        .badge{font-size:11px;background:#332288;color:#fff;border-radius:3px;padding:1px 5px;white-space:nowrap}.state{color:#8a4b00}
        .hint{color:#555;font-size:13px}pre{background:#f6f6f6;padding:10px;overflow-x:auto;font-size:12px;white-space:pre-wrap;word-break:break-all}
        details{margin:8px 0;border:1px solid #e2e2e2;border-radius:4px;padding:4px 10px}summary{cursor:pointer;padding:4px 0}
        table.classes td:first-child{max-width:360px;overflow-wrap:anywhere}
        """

    /// Sorts a table by the clicked column (numbers as numbers, missing values last either way).
    static let sortScript = """
        (function(){document.querySelectorAll('table.sortable').forEach(function(t){var heads=t.tHead.rows[0].cells;\
        Array.prototype.forEach.call(heads,function(th,i){function sort(){var asc=th.getAttribute('aria-sort')!=='ascending';\
        Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort');});th.setAttribute('aria-sort',asc?'ascending':'descending');\
        var body=t.tBodies[0];var rows=Array.prototype.slice.call(body.rows);rows.sort(function(a,b){var x=a.cells[i].getAttribute('data-v'),y=b.cells[i].getAttribute('data-v');\
        if(x===''||y===''){return x===y?0:(x===''?1:-1);}var nx=Number(x),ny=Number(y);var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:(x<y?-1:(x>y?1:0));return asc?c:-c;});\
        rows.forEach(function(r){body.appendChild(r);});}th.addEventListener('click',sort);th.addEventListener('keydown',function(e){if(e.key==='Enter'){sort();}});});\
        t.setAttribute('data-sortable','ready');});})();
        """
}
