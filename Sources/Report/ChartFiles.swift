import Charts
import Foundation

/// Writes each figure of a report as charts/<name>.svg, and .png (2×) and .pdf when asked.
public struct ChartFiles {
    public let renderer: SceneRenderer

    public init(renderer: SceneRenderer) { self.renderer = renderer }

    /// The scenes of `figures` laid out at the report width, in order.
    public func scenes(_ figures: [ReportFigure]) -> [Scene] {
        let layout = ChartLayout(measurer: renderer.text)
        return figures.map { $0.scene(layout, width: ReportFigures.width) }
    }

    /// Writes `scenes` into `directory` in `formats` ("svg", "png", "pdf"); returns the paths written.
    @discardableResult
    public func write(_ figures: [ReportFigure], scenes: [Scene], to directory: String, formats: [String]) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var paths: [String] = []
        for (figure, scene) in zip(figures, scenes) {
            for format in formats {
                let path = (directory as NSString).appendingPathComponent("\(figure.name).\(format)")
                try renderer.write(scene, to: path, title: figure.title)
                paths.append(path)
            }
        }
        return paths
    }
}
