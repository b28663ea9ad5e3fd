import Foundation
import Report
import Testing

struct CairoTests {
    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("studyctl-cairo-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Draws a blue square on white and some text, as a chart would.
    func draw(on surface: CairoSurface) throws {
        let context = try CairoContext(surface)
        context.setColor(r: 1, g: 1, b: 1)
        context.rectangle(x: 0, y: 0, width: surface.width, height: surface.height)
        try context.fill()
        context.setColor(r: 0, g: 0, b: 1)
        context.rectangle(x: 10, y: 10, width: 20, height: 20)
        try context.fill()
        context.setColor(r: 0, g: 0, b: 0)
        context.setFont(family: Cairo.fontFamily, size: 12)
        try context.showText("mAP@0.5", x: 40, y: 30)
    }

    @Test func pngHasItsSizeAndPixels() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("chart.png").path
        let surface = try CairoSurface(width: 120, height: 50)
        try draw(on: surface)
        try surface.writePNG(to: path)

        let png = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let loaded = try CairoSurface.readPNG(path)
        #expect(loaded.width == 120 && loaded.height == 50)
        #expect(loaded.pixel(x: 20, y: 20) == (0, 0, 255, 255))
        #expect(loaded.pixel(x: 5, y: 45) == (255, 255, 255, 255))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(leftovers == ["chart.png"], "no temporary file left behind")
    }

    @Test func textHasWidth() throws {
        let context = try CairoContext(try CairoSurface(width: 10, height: 10))
        context.setFont(family: Cairo.fontFamily, size: 12)
        #expect(context.textWidth("mAP@0.5") > 20)
    }

    @Test(arguments: ["pdf", "svg"])
    func vectorFileIsComplete(ext: String) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("chart.\(ext)").path
        let surface = try CairoSurface(path: path, width: 200, height: 100)
        try draw(on: surface)
        #expect(!FileManager.default.fileExists(atPath: path), "nothing at the final name before finish")
        try surface.finish()

        if ext == "pdf" {
            let info = try run("/usr/bin/pdfinfo", [path])
            #expect(info.contains("Pages:           1"), "\(info)")
            #expect(info.contains("Page size:       200 x 100 pts"), "\(info)")
        } else {
            let svg = try String(contentsOfFile: path, encoding: .utf8)
            #expect(svg.contains("<svg") && svg.contains("</svg>"))
            #expect(svg.contains("width=\"200pt\""))
        }
    }

    @Test func unknownExtensionIsAnError() throws {
        #expect(throws: CairoError.self) { try CairoSurface(path: "/tmp/x.bmp", width: 10, height: 10) }
    }

    /// Runs a program and returns its standard output.
    func run(_ program: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self)
    }
}
