import CCairo
import Foundation
import Results

/// A Cairo drawing surface: an in-memory ARGB image, or a PDF or SVG file.
///
/// File surfaces write to a temporary name and rename into place on `finish()`, so a crash never
/// leaves a half-written chart.
public final class CairoSurface {
    /// The output kind, chosen from the file extension.
    public enum Kind: String, Sendable { case png, pdf, svg }

    let handle: OpaquePointer
    /// Width and height in pixels (image) or points (PDF, SVG).
    public let width: Double, height: Double
    public let kind: Kind
    private let finalPath: String?
    private let temporaryPath: String?

    /// An in-memory image surface (ARGB32) of `width`×`height` pixels.
    public init(width: Int, height: Int) throws {
        handle = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))
        self.width = Double(width)
        self.height = Double(height)
        kind = .png
        finalPath = nil
        temporaryPath = nil
        try check(cairo_surface_status(handle), "create \(width)×\(height) image")
    }

    /// A vector surface written to `path` (".pdf" or ".svg"), `width`×`height` points.
    public init(path: String, width: Double, height: Double) throws {
        let ext = (path as NSString).pathExtension.lowercased()
        let tmp = path + ".tmp-\(getpid())"
        switch ext {
        case "pdf": handle = cairo_pdf_surface_create(tmp, width, height); kind = .pdf
        case "svg": handle = cairo_svg_surface_create(tmp, width, height); kind = .svg
        default: throw CairoError.unsupportedExtension(path)
        }
        self.width = width
        self.height = height
        finalPath = path
        temporaryPath = tmp
        try check(cairo_surface_status(handle), "create \(path)")
    }

    deinit {
        cairo_surface_destroy(handle)
        if let temporaryPath { unlink(temporaryPath) }
    }

    /// Completes a PDF or SVG file and renames it into place.
    public func finish() throws {
        guard let finalPath, let temporaryPath else { return }
        cairo_surface_finish(handle)
        try check(cairo_surface_status(handle), "finish \(finalPath)")
        guard rename(temporaryPath, finalPath) == 0 else {
            throw CairoError(operation: "rename to \(finalPath)", reason: String(cString: strerror(errno)))
        }
    }

    /// Writes an image surface as PNG to `path` (through a temporary name).
    public func writePNG(to path: String) throws {
        precondition(kind == .png, "writePNG needs an image surface")
        cairo_surface_flush(handle)
        let tmp = path + ".tmp-\(getpid())"
        try check(cairo_surface_write_to_png(handle, tmp), "write PNG \(path)")
        guard rename(tmp, path) == 0 else {
            unlink(tmp)
            throw CairoError(operation: "rename to \(path)", reason: String(cString: strerror(errno)))
        }
    }

    /// The straight (un-premultiplied) RGBA value at pixel (x, y) of an image surface.
    public func pixel(x: Int, y: Int) -> (r: UInt8, g: UInt8, b: UInt8, a: UInt8) {
        precondition(kind == .png, "pixel(x:y:) needs an image surface")
        cairo_surface_flush(handle)
        let stride = Int(cairo_image_surface_get_stride(handle))
        let data = cairo_image_surface_get_data(handle)!
        let word = (data + y * stride + 4 * x).withMemoryRebound(to: UInt32.self, capacity: 1) { $0.pointee }
        let a = UInt8(word >> 24)
        func channel(_ shift: UInt32) -> UInt8 {
            let premultiplied = UInt32((word >> shift) & 0xFF)
            return a == 0 ? 0 : UInt8((premultiplied * 255 + UInt32(a) / 2) / UInt32(a))
        }
        return (channel(16), channel(8), channel(0), a)
    }

    /// Loads a PNG file into a new image surface.
    public static func readPNG(_ path: String) throws -> CairoSurface {
        let surface = CairoSurface(image: cairo_image_surface_create_from_png(path)!)
        try check(cairo_surface_status(surface.handle), "read PNG \(path)")
        return surface
    }

    private init(image: OpaquePointer) {
        handle = image
        width = Double(cairo_image_surface_get_width(image))
        height = Double(cairo_image_surface_get_height(image))
        kind = .png
        finalPath = nil
        temporaryPath = nil
    }
}

extension CairoError {
    init(operation: String, reason: String) {
        self.operation = operation
        self.reason = reason
    }

    static func unsupportedExtension(_ path: String) -> CairoError {
        CairoError(operation: "open \(path)", reason: "unsupported extension (use .png, .pdf or .svg)")
    }
}

extension CairoSurface {
    /// Sets a PDF's title, creator and creation date (ISO 8601): fixed metadata, so the same
    /// drawing gives the same bytes.
    public func setPDFMetadata(title: String, created: String) {
        precondition(kind == .pdf, "PDF metadata needs a PDF surface")
        cairo_pdf_surface_set_metadata(handle, CAIRO_PDF_METADATA_TITLE, title)
        cairo_pdf_surface_set_metadata(handle, CAIRO_PDF_METADATA_CREATOR, "studyctl \(CodeVersion.string)")
        cairo_pdf_surface_set_metadata(handle, CAIRO_PDF_METADATA_CREATE_DATE, created)
        cairo_pdf_surface_set_metadata(handle, CAIRO_PDF_METADATA_MOD_DATE, created)
    }
}
