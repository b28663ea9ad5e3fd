import CPango
import Foundation

/// Text made safe for HTML, and the hashes a Content-Security-Policy pins scripts with.
enum HTMLText {
    /// `text` with `& < > " '` escaped: safe in element content and in quoted attributes, so a
    /// class name like `<script>` shows as text and runs nothing.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// `'sha256-…'` of `script` for a CSP `script-src` (GLib's SHA-256, which Pango already links).
    static func cspHash(_ script: String) -> String {
        let bytes = Array(script.utf8)
        let hex = bytes.withUnsafeBufferPointer { g_compute_checksum_for_data(G_CHECKSUM_SHA256, $0.baseAddress, gsize($0.count))! }
        defer { g_free(hex) }
        let text = String(cString: hex)
        var digest = Data()
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            digest.append(UInt8(text[index..<next], radix: 16)!)
            index = next
        }
        return "'sha256-\(digest.base64EncodedString())'"
    }
}

/// Cairo's SVG made fit to sit inline in a page beside others: no XML prolog, and every id (and
/// each reference to one) prefixed, because Cairo numbers glyphs and clips from 1 in every file.
enum InlineSVG {
    static func make(_ svg: String, prefix: String, label: String) -> String {
        var body = svg
        if let start = body.range(of: "<svg") { body = String(body[start.lowerBound...]) }
        body = body.replacingOccurrences(of: "id=\"", with: "id=\"\(prefix)-")
            .replacingOccurrences(of: "href=\"#", with: "href=\"#\(prefix)-")
            .replacingOccurrences(of: "url(#", with: "url(#\(prefix)-")
        return body.replacingOccurrences(of: "<svg ", with: "<svg role=\"img\" aria-label=\"\(HTMLText.escape(label))\" ",
                                         options: [], range: body.range(of: "<svg "))
    }
}
