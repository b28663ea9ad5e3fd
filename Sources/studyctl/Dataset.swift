import ArgumentParser
import Detection
import Foundation

extension StudyCtl {
    /// `studyctl dataset`: datasets studyctl makes.
    struct Dataset: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the built-in dataset as a YOLO-format folder.",
            subcommands: [Synth.self]
        )

        /// `studyctl dataset synth`: the built-in 'shapes' dataset.
        struct Synth: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Write the built-in 'shapes' dataset (8 classes, drawn with Cairo from a seed) as images, labels and data.yaml.",
                discussion: """
                    Classes: \(ShapesDataset.names.joined(separator: ", ")). Shapes in random colours, \
                    rotations and sizes (5 px to 80 % of the image), partly occluding each other, on \
                    gradient and textured backgrounds with noise and clutter that is not an object (lines, \
                    open arcs, scribbles, specks). PNG images of 75–100 % × imgsz on the short side; the same \
                    seed gives the same bytes on any machine and thread count. Other tools can train on the \
                    folder as it is (Ultralytics layout).
                    """
            )

            @Option(help: "Folder to write (images/, labels/, data.yaml).")
            var out: String

            @Option(help: "Training images.")
            var train: Int = 500

            @Option(help: "Validation images.")
            var val: Int = 100

            @Option(help: "Longer side of the images in pixels.")
            var imgsz: Int = 160

            @Option(help: "Seed: the same seed gives the same dataset.")
            var seed: UInt64 = 0

            @Option(help: "hard: the 8 classes above; easy: circle, square, triangle and star, 1–3 large shapes apart from each other on a flat background, no clutter.")
            var preset: ShapesDataset.Preset = .hard

            func validate() throws {
                guard train >= 1, val >= 1, train <= 1_000_000, val <= 1_000_000 else {
                    throw ValidationError("--train and --val must be from 1 to 1000000")
                }
                guard imgsz >= 32, imgsz <= 4096 else { throw ValidationError("--imgsz must be from 32 to 4096, got \(imgsz)") }
            }

            func run() throws {
                let started = Date()
                do {
                    try ShapesDataset.write(to: out, train: train, val: val, imageSize: imgsz, seed: seed, preset: preset)
                } catch {
                    throw CLIError.failed("error: \(error)")
                }
                print(String(format: "Wrote %d train and %d val images to %@ in %.1f s; data.yaml: %@/data.yaml",
                             train, val, out, Date().timeIntervalSince(started), out))
            }
        }
    }
}
