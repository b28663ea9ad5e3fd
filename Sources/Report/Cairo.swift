import CCairo
import Foundation

/// Facts about the Cairo library and the fonts the reports use.
public enum Cairo {
    /// The version of the Cairo library loaded at run time, e.g. "1.16.0".
    public static var version: String { String(cString: cairo_version_string()) }

    /// The font family every chart and report uses.
    public static let fontFamily = "DejaVu Sans"

    /// Where Debian's fonts-dejavu-core puts the report font; the first that exists is used.
    static let fontFiles = [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/local/share/fonts/DejaVuSans.ttf",
    ]

    /// The path of the report font file, or nil when it is not installed.
    public static var fontFile: String? {
        fontFiles.first { FileManager.default.fileExists(atPath: $0) }
    }
}
