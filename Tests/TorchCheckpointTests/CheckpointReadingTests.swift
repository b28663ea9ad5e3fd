import Foundation
import Testing

import TorchCheckpoint

/// Checkpoints torch itself saved read back to torch's own values, in both formats.
@Suite struct CheckpointReadingTests {
    static let goodFiles = [
        "tiny_zip.pt", "tiny_legacy.pt", "tiny_half_zip.pt", "tiny_bf16_zip.pt", "dtypes_zip.pt", "dtypes_legacy.pt",
        "views_zip.pt", "views_legacy.pt", "wrapped_zip.pt", "sequential_zip.pt", "sequential_legacy.pt",
        "yolov5_tiny_zip.pt", "tiny_deflated.pt", "tiny_zip64.pt",
    ]

    @Test(arguments: goodFiles)
    func everyTensorEqualsTorchsReading(file: String) throws {
        let expected = try #require(Fixtures.expected[file])
        let checkpoint = try Fixtures.read(file)
        Fixtures.compare(checkpoint.tensors, try #require(expected.tensors), file: file)
        #expect(Fixtures.spelled(checkpoint.layout) == expected.layout)
        switch checkpoint.format {
        case .zip(let archive):
            #expect(expected.format == "zip")
            // torch names the folder after the file (tiny_zip64.pt is tiny_zip.pt with its end record changed)
            #expect(archive == (file == "tiny_zip64.pt" ? "tiny_zip" : String(file.dropLast(3))))
        case .legacy:
            #expect(expected.format == "legacy")
        }
    }

    @Test(arguments: ["tiny", "dtypes", "views", "sequential"])
    func zipAndLegacyGiveIdenticalTensors(stem: String) throws {
        let zipped = try Fixtures.read("\(stem)_zip.pt")
        let legacy = try Fixtures.read("\(stem)_legacy.pt")
        #expect(zipped.tensors.count == legacy.tensors.count)
        for (a, b) in zip(zipped.tensors, legacy.tensors) {
            #expect(a.name == b.name)
            #expect(a.tensor == b.tensor, "\(stem): \(a.name)")
        }
        #expect(zipped.layout == legacy.layout)
    }

    @Test func halfAndBFloat16RoundTheFloat32Values() throws {
        let full = try Fixtures.read("tiny_zip.pt")
        for (file, dtype, relative) in [
            ("tiny_half_zip.pt", "float16", 0x1p-11), ("tiny_bf16_zip.pt", "bfloat16", 0x1p-8),
        ] {
            let low = try Fixtures.read(file)
            for (a, b) in zip(full.tensors, low.tensors) {
                #expect(a.name == b.name)
                if a.name.hasSuffix("num_batches_tracked") {
                    #expect(b.tensor.dtype == "int64")
                    #expect(b.tensor.values == a.tensor.values)
                    continue
                }
                #expect(b.tensor.dtype == dtype)
                for (x, y) in zip(a.tensor.values, b.tensor.values) {
                    // round to nearest: within half a unit in the last place of the narrower type
                    #expect(abs(Double(x) - Double(y)) <= relative * abs(Double(x)) + 1e-7, "\(file) \(a.name)")
                }
            }
        }
    }

    @Test func otherDTypesConvertExactly() throws {
        let c = try Fixtures.read("dtypes_zip.pt")
        #expect(c["i64"]?.values == [-3, 0, 7, 1_099_511_627_776])
        #expect(c["i64"]?.dtype == "int64")
        #expect(c["i32"]?.values == [-5, 2, 9])
        #expect(c["i16"]?.values == [-300, 300])
        #expect(c["i8"]?.values == [-128, 127])
        #expect(c["u8"]?.values == [0, 255, 7])
        #expect(c["b"]?.values == [1, 0, 1])
        #expect(c["b"]?.dtype == "bool")
        #expect(c["f64"]?.shape == [2, 3])
        // float16: zero, negative zero, the smallest normal, the smallest subnormal, the largest finite
        let half = try #require(c["f16_special"]?.values)
        #expect(half[0] == 0 && half[0].sign == .plus)
        #expect(half[1] == 0 && half[1].sign == .minus)
        #expect(abs(half[2] - 6.1e-5) < 1e-7)
        #expect(half[3] == 0x1p-24)
        #expect(half[4] == 65504)
        #expect(half[5] == -2.5)
    }

    @Test func nonContiguousViewsReadInRowMajorOrder() throws {
        let c = try Fixtures.read("views_zip.pt")
        let base = (0..<24).map { Float($0) / 7 }  // torch.arange(24).reshape(4, 6) / 7, in float32
        let transposed = try #require(c["transposed"])
        #expect(transposed.shape == [6, 4])
        #expect(transposed.values == (0..<6).flatMap { j in (0..<4).map { i in base[i * 6 + j] } })
        let sliced = try #require(c["sliced"])
        #expect(sliced.shape == [3, 3])
        #expect(sliced.values == (1..<4).flatMap { r in stride(from: 0, to: 6, by: 2).map { base[r * 6 + $0] } })
        #expect(c["column"]?.values == (0..<4).map { base[$0 * 6 + 5] })
        #expect(c["expanded"]?.values == [1.5, -2, 3.25, 1.5, -2, 3.25])
        #expect(c["permuted"]?.shape == [4, 2, 3])
        #expect(c["scalar"]?.shape == [])
        #expect(c["scalar"]?.values == [4.5])
        #expect(c["empty"]?.shape == [0, 3])
        #expect(c["empty"]?.values == [])
    }

    @Test func halfToFloatKeepsSpecialValues() {
        #expect(StorageDecoding.halfToFloat(0x7C00) == .infinity)
        #expect(StorageDecoding.halfToFloat(0xFC00) == -.infinity)
        #expect(StorageDecoding.halfToFloat(0x7E00).isNaN)
        #expect(StorageDecoding.halfToFloat(0x0001) == 0x1p-24)
        #expect(StorageDecoding.halfToFloat(0x8001) == -0x1p-24)
        #expect(StorageDecoding.halfToFloat(0x03FF) == 0x1p-14 * (1023.0 / 1024.0))
        #expect(StorageDecoding.halfToFloat(0x3C00) == 1)
        #expect(StorageDecoding.halfToFloat(0xC000) == -2)
    }
}
