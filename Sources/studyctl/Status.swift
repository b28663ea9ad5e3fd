import ArgumentParser
import Foundation
import Results
import Study

extension StudyCtl {
    /// `studyctl status`: where a study stands.
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a study folder's cells: done, running (with epoch) and left, and the best so far.")

        @Argument(help: "The study's output folder (output/<study name>).")
        var folder: String

        func run() throws {
            let f = StudyLayout(folder)
            let study: StudyFile
            do { study = try StudyFile.load(f.studyCopy) } catch {
                throw CLIError.badInput("error: \(folder) is not a study folder (no readable study.toml): \(error)")
            }
            let manifest = try? ResultFiles.readJSON(StudyManifest.self, from: f.manifest)
            var done = 0, running: [String] = [], left: [String] = []
            for cell in study.cells {
                let run = f.run(cell.runName)
                if FileManager.default.fileExists(atPath: run.summary) {
                    done += 1
                    continue
                }
                let rows = (try? String(contentsOfFile: run.results, encoding: .utf8)).map { ResultsCSV.parseOrEmpty($0) } ?? []
                let state = manifest?.cells.first { $0.name == cell.name }?.state
                if state == .running || FileManager.default.fileExists(atPath: run.lock) {
                    running.append("\(cell.name) (epoch \(rows.count + 1) of \(study.epochs))")
                } else {
                    left.append(rows.isEmpty ? cell.name : "\(cell.name) (\(rows.count) of \(study.epochs) epochs, resumable)")
                }
            }
            print("\(study.name): \(done) of \(study.cells.count) cells done, \(running.count) running, \(left.count) left")
            for r in running { print("  running  \(r)") }
            for l in left { print("  left     \(l)") }
            let recommendation = StudyRunner.recommend(study, folder: f)
            if let best = recommendation.cells.first {
                print(String(format: "best so far: %@ (mAP50-95 %.4f, mAP50 %.4f)", best.name, best.map50to95.mean, best.map50.mean))
            }
            if let name = recommendation.recommended { print("recommended: \(name)") }
        }
    }
}
