/// A value the restricted unpickler builds: plain data, tensors and inert records, never live objects.
/// Lists, dicts and records are classes because pickle shares and fills them after creation (memo).
package enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    /// An integer wider than 64 bits (LONG1/LONG4), as little-endian two's-complement bytes.
    case bigInt([UInt8])
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case tuple([PickleValue])
    case list(PickleList)
    case dict(PickleDict)
    /// An allowed global (a function or class), kept as a name: it is never called.
    case global(Global)
    /// A storage named by a persistent id; its bytes are read later.
    case storage(StorageReference)
    case tensor(TensorReference)
    /// An instance of an allowed class, kept as its class name and the state BUILD gave it.
    case object(PickleObject)

    /// A short name of the value's type, for messages.
    package var typeName: String {
        switch self {
        case .none: return "None"
        case .bool: return "bool"
        case .int, .bigInt: return "int"
        case .float: return "float"
        case .string: return "str"
        case .bytes: return "bytes"
        case .tuple: return "tuple"
        case .list: return "list"
        case .dict: return "dict"
        case .global(let g): return g.name
        case .storage: return "storage"
        case .tensor: return "tensor"
        case .object(let o): return o.className
        }
    }

    package var asString: String? {
        if case .string(let s) = self { return s }
        if case .bytes(let b) = self { return String(decoding: b, as: UTF8.self) }
        return nil
    }

    package var asInt: Int? {
        switch self {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    /// A tuple's or list's items.
    package var asSequence: [PickleValue]? {
        switch self {
        case .tuple(let items): return items
        case .list(let list): return list.items
        default: return nil
        }
    }

    package var asDict: PickleDict? {
        if case .dict(let d) = self { return d }
        return nil
    }

    package var asTensor: TensorReference? {
        if case .tensor(let t) = self { return t }
        return nil
    }
}

/// A pickled list (or set, kept in order).
package final class PickleList {
    package var items: [PickleValue]
    package init(_ items: [PickleValue] = []) { self.items = items }
}

/// A pickled dict or OrderedDict: entries in insertion order, string keys indexed.
package final class PickleDict {
    package private(set) var entries: [(key: PickleValue, value: PickleValue)] = []
    private var stringIndex: [String: Int] = [:]
    /// What BUILD gave an OrderedDict (state_dict()'s `_metadata`); kept, not used.
    package var attributes: PickleValue = .none

    package init() {}

    /// Sets a key as Python does: a string key seen before keeps its place and takes the new value.
    package func set(_ key: PickleValue, _ value: PickleValue) {
        if case .string(let s) = key {
            if let i = stringIndex[s] {
                entries[i].value = value
                return
            }
            stringIndex[s] = entries.count
        }
        entries.append((key, value))
    }

    package subscript(key: String) -> PickleValue? {
        guard let i = stringIndex[key] else { return nil }
        return entries[i].value
    }

    /// The string keys, in order.
    package var stringKeys: [String] { entries.compactMap { $0.key.asString } }
}

/// An inert instance of an allowed class: its name, NEWOBJ's arguments and BUILD's state.
package final class PickleObject {
    package let className: String
    package let arguments: [PickleValue]
    package var state: PickleValue = .none

    package init(className: String, arguments: [PickleValue]) {
        self.className = className
        self.arguments = arguments
    }

    /// The attribute dict BUILD set: a dict, or the first half of a (dict, slots) pair.
    package var attributes: PickleDict? {
        switch state {
        case .dict(let d): return d
        case .tuple(let pair) where pair.count == 2: return pair[0].asDict
        default: return nil
        }
    }
}

/// A storage as a persistent id names it: the record key, its element type and element count.
package struct StorageReference {
    package let key: String
    package let dtype: StorageDType
    package let count: Int
    /// A legacy storage view (old torch): the elements [offset, offset + count) of `key`'s storage.
    package let viewOf: (key: String, offset: Int)?

    package init(key: String, dtype: StorageDType, count: Int, viewOf: (key: String, offset: Int)?) {
        self.key = key
        self.dtype = dtype
        self.count = count
        self.viewOf = viewOf
    }
}

/// A tensor as `_rebuild_tensor_v2` describes it: a view into a storage.
package final class TensorReference {
    package let storage: StorageReference
    package let offset: Int
    package let shape: [Int]
    package let strides: [Int]
    package var isParameter = false

    package init(storage: StorageReference, offset: Int, shape: [Int], strides: [Int]) {
        self.storage = storage
        self.offset = offset
        self.shape = shape
        self.strides = strides
    }
}
