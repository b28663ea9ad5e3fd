/// An sRGB colour with alpha, components in 0...1.
public struct Color: Sendable, Equatable, Hashable {
    public var r: Double, g: Double, b: Double, a: Double

    public init(r: Double, g: Double, b: Double, a: Double = 1) { (self.r, self.g, self.b, self.a) = (r, g, b, a) }

    /// A colour from `0xRRGGBB`.
    public init(hex: UInt32, alpha: Double = 1) {
        self.init(r: Double((hex >> 16) & 0xFF) / 255, g: Double((hex >> 8) & 0xFF) / 255,
                  b: Double(hex & 0xFF) / 255, a: alpha)
    }

    /// The same colour with another alpha.
    public func opacity(_ alpha: Double) -> Color { Color(r: r, g: g, b: b, a: alpha) }

    public static let black = Color(hex: 0x000000)
    public static let white = Color(hex: 0xFFFFFF)
    /// Text and axis lines.
    public static let ink = Color(hex: 0x222222)
    /// Secondary text: tick labels, notes.
    public static let muted = Color(hex: 0x555555)
    /// Grid lines.
    public static let grid = Color(hex: 0xE2E2E2)
    /// Cells that are not finished: drawn in grey, never in a series colour.
    public static let unfinished = Color(hex: 0xBBBBBB)
}

/// Paul Tol's "muted" qualitative scheme (nine colours distinguishable with every common colour
/// vision deficiency), with dash patterns as the second cue when colours repeat or print in grey.
// https://personal.sron.nl/~pault/#sec:qualitative (Tol 2021, Fig. 4)
public enum Palette {
    public static let colors: [Color] = [
        0x332288, 0x88CCEE, 0x44AA99, 0x117733, 0x999933, 0xDDCC77, 0xCC6677, 0x882255, 0xAA4499,
    ].map { Color(hex: $0) }

    /// Solid, dashed, dotted, dash-dot, long dash: lengths in scene units, empty for solid.
    public static let dashes: [[Double]] = [[], [5, 2.5], [1.2, 1.8], [5, 2, 1.2, 2], [9, 3]]

    /// The colour of series `index`, cycling.
    public static func color(_ index: Int) -> Color { colors[index % colors.count] }

    /// The dash of series `index`, cycling.
    public static func dash(_ index: Int) -> [Double] { dashes[index % dashes.count] }

    /// Sequential blues for heat maps (Tol's "iridescent" would also do; white → dark blue reads in grey).
    public static func sequential(_ t: Double) -> Color {
        let v = min(1, max(0, t))
        let low = Color(hex: 0xFFFFFF), high = Color(hex: 0x08306B)
        return Color(r: low.r + (high.r - low.r) * v, g: low.g + (high.g - low.g) * v, b: low.b + (high.b - low.b) * v)
    }
}
