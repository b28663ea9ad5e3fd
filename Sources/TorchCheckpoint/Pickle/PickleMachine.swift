/// A restricted unpickler: runs a pickle's opcodes over plain values, tensors and inert records.
/// Why: a .pt file is a program for Python's pickle; this reads its data and executes nothing —
/// every global goes through `AllowList`, as torch/_weights_only_unpickler.py does in Python.
package struct PickleMachine {
    /// Resolves a persistent id (BINPERSID) to a storage, or to a module class in the legacy format.
    package typealias PersistentLoad = (PickleValue) throws -> PickleValue

    private var reader: ByteReader
    private var stack: [PickleValue] = []
    private var metastack: [[PickleValue]] = []
    private var memo: [Int: PickleValue] = [:]
    private let persistentLoad: PersistentLoad?
    /// Where the current opcode started, for messages.
    private var opcodeStart = 0

    /// The machine over `bytes` from `position`; `label` names the pickle in messages.
    package init(_ bytes: [UInt8], label: String, position: Int = 0, persistentLoad: PersistentLoad? = nil) {
        self.reader = ByteReader(bytes, label: label, position: position)
        self.persistentLoad = persistentLoad
    }

    /// Where the machine stopped: the byte after STOP (the legacy format's pickles follow one another).
    package var position: Int { reader.position }

    /// Runs opcodes until STOP and returns the value on top of the stack.
    package mutating func run() throws -> PickleValue {
        while true {
            opcodeStart = reader.position
            let byte = try reader.byte()
            guard let op = Opcode(rawValue: byte) else {
                throw problem(.unsupported, "unsupported pickle opcode \(Opcode.pickleName(byte))")
            }
            if op == .stop {
                guard metastack.isEmpty else { throw problem(.malformed, "STOP inside an unclosed MARK") }
                return try pop()
            }
            try execute(op)
        }
    }

    private mutating func execute(_ op: Opcode) throws {
        switch op {
        case .proto:
            let version = try reader.byte("the protocol version")
            guard version <= 5 else {
                throw problem(.unsupported, "pickle protocol \(version) (this reader takes 2 to 5)")
            }
        case .frame:
            _ = try reader.length(8, "a FRAME length")  // a read-ahead hint; the opcodes follow unchanged
        case .stop:
            break  // handled by run()
        case .mark:
            metastack.append(stack)
            stack = []
        case .pop:
            _ = try pop()
        case .popMark:
            _ = try popMark()
        case .dup:
            stack.append(try top())

        case .none: stack.append(.none)
        case .newtrue: stack.append(.bool(true))
        case .newfalse: stack.append(.bool(false))
        case .binint:
            stack.append(.int(Int(Int32(bitPattern: UInt32(try reader.unsignedLE(4, "a BININT"))))))
        case .binint1:
            stack.append(.int(Int(try reader.unsignedLE(1, "a BININT1"))))
        case .binint2:
            stack.append(.int(Int(try reader.unsignedLE(2, "a BININT2"))))
        case .long1:
            let n = try reader.length(1, "a LONG1 length")
            stack.append(Self.integer(fromLittleEndian: Array(try reader.take(n, "a LONG1"))))
        case .long4:
            let n = try reader.length(4, "a LONG4 length")
            stack.append(Self.integer(fromLittleEndian: Array(try reader.take(n, "a LONG4"))))
        case .binfloat:
            let raw = try reader.take(8, "a BINFLOAT")
            var bits: UInt64 = 0
            for b in raw { bits = bits << 8 | UInt64(b) }  // big-endian
            stack.append(.float(Double(bitPattern: bits)))

        case .shortBinunicode:
            stack.append(.string(try text(lengthWidth: 1, "a SHORT_BINUNICODE")))
        case .binunicode:
            stack.append(.string(try text(lengthWidth: 4, "a BINUNICODE")))
        case .binunicode8:
            stack.append(.string(try text(lengthWidth: 8, "a BINUNICODE8")))
        case .shortBinstring:
            stack.append(.string(try text(lengthWidth: 1, "a SHORT_BINSTRING")))
        case .binstring:
            stack.append(.string(try text(lengthWidth: 4, "a BINSTRING")))
        case .shortBinbytes:
            stack.append(.bytes(try bytes(lengthWidth: 1, "a SHORT_BINBYTES")))
        case .binbytes:
            stack.append(.bytes(try bytes(lengthWidth: 4, "a BINBYTES")))
        case .binbytes8:
            stack.append(.bytes(try bytes(lengthWidth: 8, "a BINBYTES8")))
        case .bytearray8:
            stack.append(.bytes(try bytes(lengthWidth: 8, "a BYTEARRAY8")))

        case .emptyTuple: stack.append(.tuple([]))
        case .emptyList: stack.append(.list(PickleList()))
        case .emptyDict: stack.append(.dict(PickleDict()))
        case .emptySet: stack.append(.list(PickleList()))
        case .tuple: stack.append(.tuple(try popMark()))
        case .tuple1:
            let a = try pop()
            stack.append(.tuple([a]))
        case .tuple2:
            let b = try pop()
            let a = try pop()
            stack.append(.tuple([a, b]))
        case .tuple3:
            let c = try pop()
            let b = try pop()
            let a = try pop()
            stack.append(.tuple([a, b, c]))
        case .frozenset: stack.append(.list(PickleList(try popMark())))

        case .append:
            let item = try pop()
            try list(of: "APPEND").items.append(item)
        case .appends:
            let items = try popMark()
            try list(of: "APPENDS").items.append(contentsOf: items)
        case .additems:
            let items = try popMark()
            try list(of: "ADDITEMS").items.append(contentsOf: items)
        case .setitem:
            let value = try pop()
            let key = try pop()
            try dict(of: "SETITEM").set(key, value)
        case .setitems:
            let items = try popMark()
            guard items.count % 2 == 0 else { throw problem(.malformed, "SETITEMS with an odd number of items") }
            let d = try dict(of: "SETITEMS")
            for i in stride(from: 0, to: items.count, by: 2) { d.set(items[i], items[i + 1]) }

        case .binput:
            try put(Int(try reader.unsignedLE(1, "a BINPUT index")))
        case .longBinput:
            try put(Int(try reader.unsignedLE(4, "a LONG_BINPUT index")))
        case .memoize:
            try put(memo.count)
        case .binget:
            try get(Int(try reader.unsignedLE(1, "a BINGET index")))
        case .longBinget:
            try get(Int(try reader.unsignedLE(4, "a LONG_BINGET index")))

        case .global:
            let module = try reader.line("a GLOBAL module")
            let name = try reader.line("a GLOBAL name")
            stack.append(.global(try resolve(module: module, name: name)))
        case .stackGlobal:
            let name = try pop()
            let module = try pop()
            guard let m = module.asString, let n = name.asString else {
                throw problem(.malformed, "STACK_GLOBAL of a \(module.typeName) and a \(name.typeName)")
            }
            stack.append(.global(try resolve(module: m, name: n)))
        case .reduce:
            let args = try pop()
            let callable = try pop()
            guard case .global(let g) = callable, let arguments = args.asSequence else {
                throw problem(
                    .refusedGlobal, "refused REDUCE of a \(callable.typeName) (only allowed globals are called)")
            }
            do {
                stack.append(try RebuildCalls.call(g, arguments))
            } catch let p as CheckpointProblem {
                throw problem(p.kind, p.message)
            }
        case .newobj:
            let args = try pop()
            let cls = try pop()
            stack.append(try newObject(cls, args))
        case .newobjEx:
            _ = try pop()  // keyword arguments: none of the allowed classes takes any
            let args = try pop()
            let cls = try pop()
            stack.append(try newObject(cls, args))
        case .build:
            let state = try pop()
            try build(try top(), state)
        case .binpersid:
            let pid = try pop()
            guard let persistentLoad else { throw problem(.malformed, "a persistent id where none belongs") }
            do {
                stack.append(try persistentLoad(pid))
            } catch let p as CheckpointProblem {
                throw problem(p.kind, p.message)
            }
        }
    }

    // MARK: - Stack and memo

    private mutating func pop() throws -> PickleValue {
        guard let v = stack.popLast() else { throw problem(.malformed, "pickle stack underflow") }
        return v
    }

    private func top() throws -> PickleValue {
        guard let v = stack.last else { throw problem(.malformed, "pickle stack underflow") }
        return v
    }

    private mutating func popMark() throws -> [PickleValue] {
        guard let outer = metastack.popLast() else { throw problem(.malformed, "no MARK to pop to") }
        let items = stack
        stack = outer
        return items
    }

    private mutating func put(_ index: Int) throws {
        memo[index] = try top()
    }

    private mutating func get(_ index: Int) throws {
        guard let v = memo[index] else { throw problem(.malformed, "memo index \(index) was never set") }
        stack.append(v)
    }

    private func list(of opcode: String) throws -> PickleList {
        guard case .list(let l) = try top() else {
            throw problem(.malformed, "\(opcode) onto a \(try top().typeName), not a list")
        }
        return l
    }

    private func dict(of opcode: String) throws -> PickleDict {
        guard case .dict(let d) = try top() else {
            throw problem(.malformed, "\(opcode) onto a \(try top().typeName), not a dict")
        }
        return d
    }

    // MARK: - Strings

    private mutating func bytes(lengthWidth: Int, _ what: String) throws -> [UInt8] {
        let n = try reader.length(lengthWidth, what + " length")
        return Array(try reader.take(n, what))
    }

    /// UTF-8 text; invalid sequences (Python's surrogatepass) become U+FFFD instead of failing.
    private mutating func text(lengthWidth: Int, _ what: String) throws -> String {
        String(decoding: try bytes(lengthWidth: lengthWidth, what), as: UTF8.self)
    }

    /// LONG1/LONG4 payload: little-endian two's complement; wider than 64 bits stays as bytes.
    package static func integer(fromLittleEndian b: [UInt8]) -> PickleValue {
        guard !b.isEmpty else { return .int(0) }
        let negative = b[b.count - 1] & 0x80 != 0
        let fill: UInt8 = negative ? 0xFF : 0x00
        var trimmed = b
        while trimmed.count > 8, trimmed[trimmed.count - 1] == fill,
            (trimmed[trimmed.count - 2] & 0x80 != 0) == negative
        {
            trimmed.removeLast()
        }
        guard trimmed.count <= 8 else { return .bigInt(b) }
        var bits: UInt64 = negative ? ~0 : 0
        for (i, byte) in trimmed.enumerated() {
            bits &= ~(UInt64(0xFF) << (8 * UInt64(i)))
            bits |= UInt64(byte) << (8 * UInt64(i))
        }
        return .int(Int(Int64(bitPattern: bits)))
    }

    // MARK: - Globals and objects

    private func resolve(module: String, name: String) throws -> Global {
        guard let g = AllowList.resolve(module: module, name: name) else {
            let shown = (module == "__builtin__" ? "builtins" : module) + "." + name
            throw problem(
                .refusedGlobal,
                "refused global \(shown) (a checkpoint can only hold tensors; re-save it as a state dict)")
        }
        return g
    }

    private func newObject(_ cls: PickleValue, _ args: PickleValue) throws -> PickleValue {
        guard case .global(let g) = cls, let arguments = args.asSequence else {
            throw problem(.refusedGlobal, "refused NEWOBJ of a \(cls.typeName)")
        }
        switch g {
        case .moduleClass(let name), .metadataClass(let name):
            return .object(PickleObject(className: name, arguments: arguments))
        case .orderedDict:
            return .dict(PickleDict())
        case .set:
            return .list(PickleList())
        default:
            throw problem(.refusedGlobal, "refused NEWOBJ of \(g.name)")
        }
    }

    private func build(_ target: PickleValue, _ state: PickleValue) throws {
        switch target {
        case .object(let o): o.state = state
        case .dict(let d): d.attributes = state
        case .tensor: break  // a tensor's Python attributes; nothing the weights need
        default: throw problem(.malformed, "BUILD of a \(target.typeName)")
        }
    }

    private func problem(_ kind: TorchCheckpointError.Kind, _ message: String) -> CheckpointProblem {
        CheckpointProblem(kind, "\(message) [\(reader.label), byte \(opcodeStart)]")
    }
}
