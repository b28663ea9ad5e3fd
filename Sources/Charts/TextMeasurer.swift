/// Measures text as the renderer will draw it, so layout can leave room for every label.
///
/// Report's Pango measurer is the real one; `EstimatedTextMeasurer` lets tests lay out charts
/// without a font engine.
public protocol TextMeasurer {
    /// The size of `text` in `style`, wrapped at `wrapWidth` when given.
    func measure(_ text: String, style: TextStyle, wrapWidth: Double?) -> Size
}

/// A font-free estimate: 0.6 em per narrow character, 1 em per wide (CJK) one, 1.25 em lines,
/// greedy word wrap breaking overlong words (as Pango's word-char mode) — close enough to DejaVu Sans for layout tests.
public struct EstimatedTextMeasurer: TextMeasurer, Sendable {
    public init() {}

    public func measure(_ text: String, style: TextStyle, wrapWidth: Double?) -> Size {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { line -> [Double] in
            guard let wrapWidth else { return [width(String(line), style.size)] }
            var widths: [Double] = []
            var current = 0.0
            for word in line.split(separator: " ").flatMap({ pieces(String($0), style.size, wrapWidth) }) {
                let w = width(word, style.size)
                let space = current == 0 ? 0 : width(" ", style.size)
                if current > 0, current + space + w > wrapWidth {
                    widths.append(current)
                    current = w
                } else {
                    current += space + w
                }
            }
            widths.append(current)
            return widths
        }
        return Size(lines.max() ?? 0, Double(lines.count) * style.size * 1.25)
    }

    /// `word` cut into pieces no wider than `limit` (whole when it fits).
    func pieces(_ word: String, _ size: Double, _ limit: Double) -> [String] {
        var out: [String] = [], current = ""
        for ch in word {
            if !current.isEmpty, width(current + String(ch), size) > limit {
                out.append(current)
                current = ""
            }
            current.append(ch)
        }
        return out + [current]
    }

    func width(_ s: String, _ size: Double) -> Double {
        s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 ? 1.0 : 0.6) } * size
    }
}
