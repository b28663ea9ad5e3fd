import Engine
import Foundation
import Testing

struct SafetensorsTests {
    /// What tools/safetensors_interop.py `check` expects (keep in step with `interop_tensors` there).
    static func interopTensors() -> [String: Tensor] {
        [
            "conv.weight": Tensor((0..<54).map { (Float($0) - 27) * 0.125 }, shape: [2, 3, 3, 3]),
            "bn.running_var": Tensor([1, 0.5, 0.25, 3e-5], shape: [4]),
            "step": Tensor([7], shape: []),
            "empty": Tensor([], shape: [0, 3]),
            "we\"ird\\name\tü": Tensor([1e-38, -0.0], shape: [2]),
        ]
    }
    static let interopMetadata = ["producer": "studyctl \"tests\""]

    /// A file of `header` (padded to 8 bytes) and `data`; `length` overrides the length field.
    static func file(_ header: String, data: [UInt8] = [], length: UInt64? = nil) -> [UInt8] {
        var json = Array(header.utf8)
        json += Array(repeating: UInt8(ascii: " "), count: (8 - json.count % 8) % 8)
        return withUnsafeBytes(of: (length ?? UInt64(json.count)).littleEndian, Array.init) + json + data
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("safetensors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Tests/EngineTests/Fixtures/python_written.safetensors.
    static func fixturePath() throws -> String {
        try #require(Bundle.module.path(forResource: "python_written", ofType: "safetensors", inDirectory: "Fixtures"))
    }

    // $HOME/.venvs/anchor/bin/python -c "import numpy as np; from safetensors.numpy import save;
    //   print(save({'b': np.array([1, 2], np.float32), 'a': np.array(3, np.float32)}, metadata={'format': 'pt'}))"
    @Test func encodesTheBytesThePythonWriterDoes() throws {
        let bytes = try Safetensors.encode(["b": Tensor([1, 2], shape: [2]), "a": Tensor([3], shape: [])],
                                           metadata: ["format": "pt"])
        let header = #"{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]},"#
            + #""b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}      "#
        let want: [UInt8] = [144, 0, 0, 0, 0, 0, 0, 0] + Array(header.utf8) + [0, 0, 64, 64, 0, 0, 128, 63, 0, 0, 0, 64]
        #expect(bytes == want)
    }

    @Test func roundTripsValuesShapesAndMetadata() throws {
        let tensors = Self.interopTensors()
        let file = try SafetensorsFile(bytes: Safetensors.encode(tensors, metadata: Self.interopMetadata))
        #expect(file.metadata == Self.interopMetadata)
        #expect(file.names == tensors.keys.sorted())
        let read = try file.tensors()
        for (name, tensor) in tensors {
            #expect(read[name]?.shape == tensor.shape, "\(name)")
            #expect(read[name]?.scalars.map(\.bitPattern) == tensor.scalars.map(\.bitPattern), "\(name)")
            #expect(file.entries[name]?.dtype == "F32")
        }
    }

    @Test func sortsMetadataKeysAndEscapesJSON() throws {
        let bytes = try Safetensors.encode(["a\u{1}\n": Tensor([1], shape: [1])], metadata: ["z": "ü", "a": "/"])
        let header = String(decoding: bytes[8..<(8 + Int(bytes[0]))], as: UTF8.self)  // a header under 256 bytes
        #expect(header.hasPrefix(#"{"__metadata__":{"a":"/","z":"ü"},"a\u0001\n":{"#))
        #expect(try SafetensorsFile(bytes: bytes).names == ["a\u{1}\n"])
    }

    /// Also writes the interop file for tools/safetensors_interop.py when STUDYCTL_SAFETENSORS_INTEROP is set.
    @Test func writesAtomicallyAndReadsBack() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("weights.safetensors").path
        try Safetensors.write(["x": Tensor([1, 2, 3], shape: [3])], to: path)
        try Safetensors.write(Self.interopTensors(), metadata: Self.interopMetadata, to: path)
        let file = try SafetensorsFile(path: path)
        #expect(file.source == path)
        #expect(try file.tensor("conv.weight").scalars == Self.interopTensors()["conv.weight"]!.scalars)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["weights.safetensors"])
        if let interop = ProcessInfo.processInfo.environment["STUDYCTL_SAFETENSORS_INTEROP"] {
            try Safetensors.write(Self.interopTensors(), metadata: Self.interopMetadata, to: interop)
        }
    }

    // Written by tools/safetensors_interop.py fixture (safetensors.torch.save_file).
    @Test func readsTheFileWrittenByPython() throws {
        let path = try Self.fixturePath()
        let file = try SafetensorsFile(path: path)
        #expect(file.metadata == ["format": "pt"])
        let expected: [String: (Shape, [Float])] = [
            "model.0.conv.weight": ([2, 1, 2, 2], [-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75]),
            "model.0.bn.bias": ([2], [0.1, -2.5e-7]),
            "scalar": ([], [3.5]),
            "half": ([3], [1.5, 6.103515625e-05, 65504]),
            "bfloat": ([2], [1.0078125, -2.5]),
            "double": ([2], [0.1, -1e-3]),
        ]
        for (name, (shape, values)) in expected {
            let tensor = try file.tensor(name)
            #expect(tensor.shape == shape, "\(name)")
            #expect(tensor.scalars == values, "\(name)")
        }
        #expect(file.entries["half"]?.dtype == "F16")
        let counter = "model.0.bn.num_batches_tracked"
        #expect(throws: SafetensorsError(file: path, .unsupportedDType(tensor: counter, dtype: "I64"))) {
            try file.tensor(counter)
        }
    }

    @Test func loadIntoReportsEveryDifferenceAndCopiesNothing() throws {
        let path = try Self.fixturePath()
        let weight = Tensor(zeros: [2, 1, 2, 2])
        let targets = [
            "model.0.conv.weight": weight,
            "model.0.bn.bias": Tensor(zeros: [3]),
            "model.0.bn.weight": Tensor(zeros: [2]),
        ]
        let error = try #require(throws: SafetensorsError.self) { try SafetensorsFile(path: path).load(into: targets) }
        #expect(error.problem == .mismatch(
            missing: ["model.0.bn.weight"],
            extra: ["bfloat", "double", "half", "model.0.bn.num_batches_tracked", "scalar"],
            misshapen: [.init(name: "model.0.bn.bias", found: [2], expected: [3])]))
        #expect(error.description == "\(path): tensors do not match the expected ones: missing model.0.bn.weight; "
            + "unexpected bfloat, double, half, model.0.bn.num_batches_tracked, scalar; "
            + "wrong shape model.0.bn.bias ([2] in the file, [3] expected)")
        #expect(weight.scalars.allSatisfy { $0 == 0 })

        let file = try SafetensorsFile(bytes: Safetensors.encode(Self.interopTensors()))
        let into = Self.interopTensors().mapValues { Tensor(zeros: $0.shape) }
        try file.load(into: into)
        #expect(into["conv.weight"]!.scalars == Self.interopTensors()["conv.weight"]!.scalars)
    }

    @Test func longMismatchListsAreCut() {
        let problem = SafetensorsError.Problem.mismatch(missing: (0..<13).map { "t\($0)" }, extra: [], misshapen: [])
        #expect(SafetensorsError(file: "f", problem).description
            == "f: tensors do not match the expected ones: missing t0, t1, t2, t3, t4, t5, t6, t7, t8, t9 and 3 more")
    }

    static func zeros(_ count: Int) -> [UInt8] { Array(repeating: 0, count: count) }
    static let tensorA = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
    static let badFiles: [(String, [UInt8], String)] = [
        ("empty", [], "truncated: 0 bytes, shorter than the 8-byte header length"),
        ("short", [1, 2, 3, 4], "truncated: 4 bytes, shorter than the 8-byte header length"),
        ("header cut", file("{}", length: 100), "truncated: the header is 100 bytes but only 8 follow its length"),
        ("huge length", file("{}", length: .max),
         "bad header: header length 18446744073709551615 is over the 100000000-byte limit"),
        ("not JSON", file("not json"), "bad header: not valid JSON"),
        ("array", file("[]"), "bad header: the top level should be an object"),
        ("no offsets", file(#"{"a":{"dtype":"F32","shape":[2]}}"#), "bad header: 'a' lacks 'data_offsets'"),
        ("metadata number", file(#"{"__metadata__":{"k":1}}"#), "bad header: '__metadata__' → 'k' should be a string"),
        ("unknown dtype", file(#"{"a":{"dtype":"Q7","shape":[2],"data_offsets":[0,8]}}"#, data: zeros(8)),
         "bad header: tensor 'a' has unknown dtype 'Q7'"),
        ("negative dim", file(#"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#),
         "bad header: tensor 'a' has a negative dimension"),
        ("overflow", file(#"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8]}}"#),
         "bad header: tensor 'a' has a shape too large"),
        ("wrong size", file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]),
         "bad data_offsets: tensor 'a' spans 4 bytes at [0, 4], but F32 [2] needs 8"),
        ("reversed", file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#),
         "bad data_offsets: tensor 'a' has data_offsets [8, 0]"),
        ("gap", file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, data: zeros(12)),
         "bad data_offsets: tensor 'a' starts at data byte 4, expected 0"),
        ("data cut", file(tensorA, data: zeros(5)),
         "truncated: the tensors need 8 bytes of data but 5 follow the header"),
        ("trailing data", file(tensorA, data: zeros(10)),
         "bad data_offsets: the tensors cover 8 bytes of data but 10 follow the header"),
    ]

    @Test(arguments: badFiles.indices)
    func badFilesThrowErrorsNamingFileAndProblem(index: Int) {
        let (label, bytes, message) = Self.badFiles[index]
        let error = #expect(throws: SafetensorsError.self, "\(label)") {
            try SafetensorsFile(bytes: bytes, source: "bad.safetensors")
        }
        let description = error?.description ?? ""
        #expect(description.hasPrefix("bad.safetensors: " + message), "\(label): \(description)")
    }

    @Test func everyTruncationAndByteFlipThrowsInsteadOfTrapping() throws {
        let bytes = try Safetensors.encode(Self.interopTensors(), metadata: Self.interopMetadata)
        for length in 0..<bytes.count {
            #expect(throws: SafetensorsError.self) { try SafetensorsFile(bytes: Array(bytes.prefix(length))) }
        }
        for position in bytes.indices {
            for value: UInt8 in [0, 0x22, 0x5D, 0xFF] {
                var corrupt = bytes
                corrupt[position] = value
                if let file = try? SafetensorsFile(bytes: corrupt) { _ = try? file.tensors() }
            }
        }
    }

    @Test func fileSystemAndNamingErrors() throws {
        let missing = "/nonexistent-\(UUID().uuidString)/w.safetensors"
        let read = #expect(throws: SafetensorsError.self) { try SafetensorsFile(path: missing) }
        #expect(read?.description == "\(missing): cannot read the file: open \(missing): No such file or directory")
        let written = #expect(throws: SafetensorsError.self) {
            try Safetensors.write(["a": Tensor([1], shape: [1])], to: missing)
        }
        #expect(written?.description.hasPrefix("\(missing): cannot write: open \(missing).tmp-") == true)
        #expect(throws: SafetensorsError(file: "<memory>", .invalidName("__metadata__"))) {
            try Safetensors.encode(["__metadata__": Tensor([1], shape: [1])])
        }
        let file = try SafetensorsFile(bytes: Safetensors.encode(["a": Tensor([1], shape: [1])]), source: "w")
        #expect(throws: SafetensorsError(file: "w", .noSuchTensor("b"))) { try file.tensor("b") }
    }
}
