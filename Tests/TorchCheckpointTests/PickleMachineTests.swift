import Foundation
import Testing

@testable import TorchCheckpoint

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
        #expect(problem([0x80, 0x02, 0x49, 0x31, 0x0A, 0x2E])?.message.contains("unsupported pickle opcode INT") == true)
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
            ("posix", "system", "posix.system"), ("os", "system", "os.system"), ("__builtin__", "eval", "builtins.eval"),
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
        let stacked: [UInt8] = [0x80, 0x04, 0x8C, 0x02] + Array("os".utf8) + [0x8C, 0x06] + Array("system".utf8) + [0x93, 0x2E]
        #expect(problem(stacked)?.message.hasPrefix("refused global os.system") == true)
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
