import ArgumentParser
import Detection
import Engine
import Foundation
import Report
import Results

extension StudyCtl {
    /// `studyctl doctor`: reports the machine and the libraries studyctl uses, and checks each works.
    struct Doctor: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the machine and the system libraries studyctl needs.",
            discussion: """
                Prints the Swift compiler studyctl was built with, the CPU and its SIMD features, \
                the threads studyctl and OpenBLAS will use, and the versions of Cairo, OpenBLAS and \
                libturbojpeg. Each library is exercised, not just found. Exits 1 naming what is \
                missing or broken; `make deps` installs the Debian packages.
                """
        )

        func run() throws {
            let machine = Machine.current()
            var problems: [String] = []
            func row(_ key: String, _ value: String) {
                print(key.padding(toLength: 16, withPad: " ", startingAt: 0) + value)
            }

            row("studyctl", CodeVersion.string)
            row("swift", "built with Swift compiler \(CodeVersion.swift)")
            row("cpu", machine.cpuModel)
            row("simd", machine.simdFeatures.isEmpty ? "none found" : machine.simdFeatures.joined(separator: " "))
            if !machine.simdFeatures.contains("avx2") {
                problems.append("cpu: no AVX2/FMA; the engine's kernels are built for them (x86-64 Haswell or later)")
            }
            row("cores", "\(machine.cores) online; studyctl uses \(machine.cores) threads by default")

            row("cairo", Cairo.version + cairoCheck(&problems))
            row("openblas", BLAS.configuration)
            row("", "kernels \(BLAS.coreName), \(BLAS.parallelism), \(BLAS.threadCount) threads" + blasCheck(&problems))
            row("onednn", DNNLConv.version + dnnlCheck(&problems))
            row("libturbojpeg", jpegCheck(&problems))
            if let font = Cairo.fontFile {
                row("font", "\(Cairo.fontFamily) (\(font))")
            } else {
                row("font", "missing")
                problems.append("font: \(Cairo.fontFamily) not found; install fonts-dejavu-core (make deps)")
            }

            if !problems.isEmpty {
                print("")
                for problem in problems { print("problem: \(problem)") }
                throw ExitCode(1)
            }
            print("\nall checks passed")
        }

        /// Draws one filled pixel and reads it back.
        private func cairoCheck(_ problems: inout [String]) -> String {
            do {
                let surface = try CairoSurface(width: 2, height: 2)
                let context = try CairoContext(surface)
                context.setColor(r: 1, g: 0, b: 0)
                context.rectangle(x: 0, y: 0, width: 1, height: 1)
                try context.fill()
                guard surface.pixel(x: 0, y: 0) == (255, 0, 0, 255) else {
                    problems.append("cairo: a filled pixel read back wrong")
                    return " (drawing FAILED)"
                }
                return " (drawing ok)"
            } catch {
                problems.append("\(error)")
                return " (FAILED)"
            }
        }

        /// Multiplies two 2×2 matrices through cblas_sgemm.
        private func blasCheck(_ problems: inout [String]) -> String {
            let a: [Float] = [1, 2, 3, 4], b: [Float] = [5, 6, 7, 8]
            var c = [Float](repeating: 0, count: 4)
            BLAS.sgemm(m: 2, n: 2, k: 2, a: a, lda: 2, b: b, ldb: 2, c: &c, ldc: 2)
            if c == [19, 22, 43, 50] { return "; sgemm ok" }
            problems.append("openblas: sgemm gave \(c), expected [19, 22, 43, 50]")
            return "; sgemm FAILED"
        }

        /// Convolves two 4×4 single-channel images with a 3×3 kernel of ones through oneDNN.
        private func dnnlCheck(_ problems: inout [String]) -> String {
            let x = Tensor([Float](repeating: 1, count: 32), shape: [2, 1, 4, 4])
            let w = Tensor([Float](repeating: 1, count: 9), shape: [1, 1, 3, 3])
            let y = Autograd.withoutGrad { conv2d(x, w, padding: 1) }
            // Corners see 4 ones, edges 6, the middle 9.
            if y.scalars.prefix(4) == [4, 6, 6, 4] && y.scalars[5] == 9 { return "; convolution ok" }
            problems.append("onednn: a 3×3 convolution of ones gave \(Array(y.scalars.prefix(8)))")
            return "; convolution FAILED"
        }

        /// Encodes and decodes an 8×8 image.
        private func jpegCheck(_ problems: inout [String]) -> String {
            do {
                let codec = try JPEGCodec()
                let image = RGBImage(width: 8, height: 8, pixels: [UInt8](repeating: 128, count: 192))
                let decoded = try codec.decode(try codec.encode(image))
                guard decoded.width == 8, decoded.height == 8 else {
                    problems.append("libturbojpeg: round trip gave \(decoded.width)×\(decoded.height)")
                    return "FAILED"
                }
                return "present (encode + decode ok)"
            } catch {
                problems.append("\(error)")
                return "FAILED"
            }
        }
    }
}
