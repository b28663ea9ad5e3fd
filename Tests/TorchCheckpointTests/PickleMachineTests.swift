import Foundation
import Testing
import TorchCheckpoint

/// The restricted unpickler on hand-made pickles: what it builds, and what it refuses without trapping.
@Suite struct PickleMachineTests {
    func run(_ bytes: [UInt8]) throws -> PickleValue {
        var machine = PickleMachine(bytes, label: "test.pkl")
        return try machine.run()
    }

    func problem(_ bytes: [UInt8]) -> CheckpointProblem? {
        do {
            _ = try run(bytes)
            return nil
        } catch let p as CheckpointProblem {
            return p
        } catch {
            return nil
        }
    }

    @Test func buildsDictsListsAndNumbers() throws {
        // {"a": [1, -2, 300, 3.5, True, None], "b": (70000,)} as protocol 2 writes it
        let bytes: [UInt8] =
            [0x80, 0x02, 0x7D, 0x71, 0x00, 0x28, 0x58, 0x01, 0, 0, 0, 0x61, 0x5D, 0x71, 0x01, 0x28, 0x4B, 0x01, 0x4A]
            + [0xFE, 0xFF, 0xFF, 0xFF, 0x4D, 0x2C, 0x01, 0x47, 0x40, 0x0C, 0, 0, 0, 0, 0, 0, 0x88, 0x4E, 0x65]
            + [0x58, 0x01, 0, 0, 0, 0x62, 0x4A, 0x70, 0x11, 0x01, 0x00, 0x85, 0x75, 0x2E]
        let value = try run(bytes)
        let dict = try #require(value.asDict)
        #expect(dict.stringKeys == ["a", "b"])
        let a = try #require(dict["a"]?.asSequence)
        #expect(a.count == 6)
        #expect(a[0].asInt == 1 && a[1].asInt == -2 && a[2].asInt == 300)
        if case .float(let f) = a[3] { #expect(f == 3.5) } else { Issue.record("not a float") }
        if case .bool(let t) = a[4] { #expect(t) } else { Issue.record("not a bool") }
        if case .none = a[5] {} else { Issue.record("not None") }
        #expect(dict["b"]?.asSequence?.first?.asInt == 70000)
    }

    @Test func wideIntegersStayBytes() {
        #expect(PickleMachine.integer(fromLittleEndian: [0xFF]).asInt == -1)
        #expect(PickleMachine.integer(fromLittleEndian: [0x00, 0x80]).asInt == -32768)
        #expect(PickleMachine.integer(fromLittleEndian: [0xFF, 0x00]).asInt == 255)
        #expect(PickleMachine.integer(fromLittleEndian: [1, 0, 0, 0, 0, 0, 0, 0, 0]).asInt == 1)
        if case .bigInt(let b) = PickleMachine.integer(fromLittleEndian: LegacyFormat.magic) {
            #expect(b == LegacyFormat.magic)
        } else {
            Issue.record("the legacy magic number fits no Int")
        }
    }

    @Test func refusesWhatItDoesNotRun() {
        // an opcode of protocol 0 (INT), a memo index never set, a length beyond the end, an empty stack
        #expect(
            problem([0x80, 0x02, 0x49, 0x31, 0x0A, 0x2E])?.message.contains("unsupported pickle opcode INT") == true)
        #expect(problem([0x80, 0x02, 0x68, 0x07, 0x2E])?.message.contains("memo index 7 was never set") == true)
        let huge = problem([0x80, 0x04, 0x8D, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
        #expect(huge?.kind == .truncated)
        #expect(huge?.message.contains("announces 9223372036854775807 bytes") == true)
        #expect(problem([0x80, 0x02, 0x52, 0x2E])?.message.contains("stack underflow") == true)
        #expect(problem([0x80, 0x02, 0x4E])?.kind == .truncated)  // no STOP
        #expect(problem([0x80, 0x06, 0x4E, 0x2E])?.kind == .unsupported)  // protocol 6
        // REDUCE of a non-global, SETITEM onto a list
        #expect(problem([0x80, 0x02, 0x4E, 0x29, 0x52, 0x2E])?.kind == .refusedGlobal)
        #expect(problem([0x80, 0x02, 0x5D, 0x4E, 0x4E, 0x73, 0x2E])?.message.contains("SETITEM onto a list") == true)
    }

    @Test func refusesGlobalsOffTheListByName() {
        for (module, name, shown) in [
            ("posix", "system", "posix.system"), ("os", "system", "os.system"),
            ("__builtin__", "eval", "builtins.eval"),
            ("builtins", "getattr", "builtins.getattr"), ("torch", "load", "torch.load"),
            ("torch.nn.modules.module", "Module", "torch.nn.modules.module.Module"),
            ("subprocess", "Popen", "subprocess.Popen"),
        ] {
            let bytes: [UInt8] = [0x80, 0x02, 0x63] + Array("\(module)\n\(name)\n".utf8) + [0x2E]
            let p = problem(bytes)
            #expect(p?.kind == .refusedGlobal)
            #expect(p?.message.hasPrefix("refused global \(shown) (") == true, "\(p?.message ?? "")")
        }
        // STACK_GLOBAL (protocol 4) is checked the same way
        let stacked: [UInt8] =
            [0x80, 0x04, 0x8C, 0x02] + Array("os".utf8) + [0x8C, 0x06] + Array("system".utf8) + [0x93, 0x2E]
        #expect(problem(stacked)?.message.hasPrefix("refused global os.system") == true)
    }

    @Test func metadataBesideTheWeightsBecomesInertRecords() throws {
        // pathlib.PosixPath("runs") as protocol 2 pickles it: the class, its parts, REDUCE; nothing is called
        let bytes: [UInt8] =
            [0x80, 0x02, 0x63] + Array("pathlib\nPosixPath\n".utf8) + [0x58, 4, 0, 0, 0] + Array("runs".utf8)
            + [0x85, 0x52, 0x2E]
        guard case .object(let record) = try run(bytes) else {
            Issue.record("not a record")
            return
        }
        #expect(record.className == "pathlib.PosixPath")
        #expect(record.arguments.first?.asString == "runs")
    }

    @Test func aModuleCycleIsRefusedNotFollowed() throws {
        let module = PickleObject(className: "torch.nn.modules.container.Sequential", arguments: [])
        let attributes = PickleDict()
        let children = PickleDict()
        children.set(.string("0"), .object(module))
        attributes.set(.string("_modules"), .dict(children))
        module.state = .dict(attributes)
        let error = try #require(throws: CheckpointProblem.self) { try ModuleTree.stateDict(of: module) }
        #expect(error.message.contains("nested deeper than 64"))
    }

    @Test func aTensorOutsideItsStorageIsRefusedWhateverItsStrides() throws {
        let storage = StorageReference(key: "0", dtype: .float32, count: 4, viewOf: nil)
        let bytes = ArraySlice([UInt8](repeating: 0, count: 16))
        for (offset, shape, strides) in [
            (4, [1], [1]), (0, [5], [1]), (0, [2, 2], [3, 1]), (0, [2], [Int.max]), (Int.max, [2], [1]),
        ] {
            let t = TensorReference(storage: storage, offset: offset, shape: shape, strides: strides)
            #expect(throws: CheckpointProblem.self) {
                try StorageDecoding.values(of: t, name: "w", storageBytes: bytes, bigEndian: false)
            }
        }
        // a size-1 dimension's stride is never used, however large
        let fine = TensorReference(storage: storage, offset: 1, shape: [1, 3], strides: [Int.max, 1])
        #expect(try StorageDecoding.values(of: fine, name: "w", storageBytes: bytes, bigEndian: false) == [0, 0, 0])
    }
}

/// Damaged copies of real files: every one is read or refused, none traps (a trap would end the test run).
@Suite struct DamagedFileTests {
    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func mutated(_ original: [UInt8], seed: UInt64) -> [UInt8] {
        var rng = SplitMix(state: seed)
        var b = original
        for _ in 0..<(rng.next() % 3 + 1) where !b.isEmpty {
            let p = Int(rng.next() % UInt64(b.count))
            switch rng.next() % 4 {
            case 0: b[p] = UInt8(truncatingIfNeeded: rng.next())
            case 1: b[p] = [0x00, 0xFF, 0x7F, 0x80, 0x68, 0x71, 0x52, 0x81, 0x62, 0x28][Int(rng.next() % 10)]
            case 2: b.remove(at: p)
            default: b.insert(UInt8(truncatingIfNeeded: rng.next()), at: p)
            }
        }
        return b
    }

    @Test(arguments: ["sequential_zip.pt", "yolov5_tiny_zip.pt"])
    func damagedPicklesAreReadOrRefused(file: String) throws {
        let zip = try ZipDirectory([UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.path(file)))))
        let entry = try #require(zip.entries.first { $0.name.hasSuffix("/data.pkl") })
        let pickle = try zip.read(entry, limit: 1 << 20)
        var outcomes: [String: Int] = [:]
        for seed in 0..<UInt64(300) {
            do {
                var m = PickleMachine(Self.mutated(pickle, seed: seed), label: "data.pkl") { pid in
                    .storage(try PersistentID.storage(pid).0)
                }
                let root = try m.run()
                _ = try CheckpointLayout.locate(root, key: nil)
                outcomes["read", default: 0] += 1
            } catch let p as CheckpointProblem {
                outcomes[p.kind.rawValue, default: 0] += 1
            }
        }
        #expect(outcomes.values.reduce(0, +) == 300)
    }

    @Test(arguments: ["tiny_zip.pt", "tiny_legacy.pt", "views_legacy.pt", "yolov5_tiny_zip.pt"])
    func damagedFilesAreReadOrRefused(file: String) throws {
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.path(file))))
        for seed in 0..<UInt64(200) {
            let bytes = Self.mutated(original, seed: seed)
            do {
                let loaded =
                    try bytes.starts(with: [0x50, 0x4B]) ? ZipArchiveReader.load(bytes) : LegacyFormat.load(bytes)
                let (_, refs) = try CheckpointLayout.locate(loaded.root, key: nil)
                _ = try TorchCheckpoint.materialize(refs, from: loaded, fileSize: bytes.count)
            } catch is CheckpointProblem {
                continue
            }
        }
    }
}
