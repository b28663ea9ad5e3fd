/// The pickle opcodes this reader executes, by byte (CPython Lib/pickle.py, protocols 2–5).
/// Why a subset: a state dict or module tree needs only these; any other opcode is refused by name.
enum Opcode: UInt8 {
    case mark = 0x28  // (
    case stop = 0x2E  // .
    case pop = 0x30  // 0
    case popMark = 0x31  // 1
    case dup = 0x32  // 2
    case binfloat = 0x47  // G: 8-byte big-endian double
    case binint = 0x4A  // J: 4-byte signed
    case binint1 = 0x4B  // K: 1-byte unsigned
    case binint2 = 0x4D  // M: 2-byte unsigned
    case none = 0x4E  // N
    case binpersid = 0x51  // Q: persistent id from the stack
    case reduce = 0x52  // R
    case binstring = 0x54  // T: 4-byte length (Python 2 str)
    case shortBinstring = 0x55  // U: 1-byte length (Python 2 str)
    case binunicode = 0x58  // X: 4-byte length UTF-8
    case emptyList = 0x5D  // ]
    case append = 0x61  // a
    case build = 0x62  // b
    case global = 0x63  // c: module\nname\n
    case appends = 0x65  // e
    case binget = 0x68  // h
    case longBinget = 0x6A  // j
    case emptyDict = 0x7D  // }
    case setitems = 0x75  // u
    case binput = 0x71  // q
    case longBinput = 0x72  // r
    case setitem = 0x73  // s
    case tuple = 0x74  // t
    case emptyTuple = 0x29  // )
    // Protocol 2
    case proto = 0x80
    case newobj = 0x81
    case tuple1 = 0x85
    case tuple2 = 0x86
    case tuple3 = 0x87
    case newtrue = 0x88
    case newfalse = 0x89
    case long1 = 0x8A
    case long4 = 0x8B
    // Protocol 3
    case binbytes = 0x42  // B: 4-byte length
    case shortBinbytes = 0x43  // C: 1-byte length
    // Protocol 4
    case shortBinunicode = 0x8C
    case binunicode8 = 0x8D
    case binbytes8 = 0x8E
    case emptySet = 0x8F
    case additems = 0x90
    case frozenset = 0x91
    case newobjEx = 0x92
    case stackGlobal = 0x93
    case memoize = 0x94
    case frame = 0x95
    // Protocol 5
    case bytearray8 = 0x96

    /// A readable name for messages about an opcode that is known to pickle but not run here.
    static func pickleName(_ byte: UInt8) -> String {
        switch byte {
        case 0x49: return "INT"
        case 0x4C: return "LONG"
        case 0x46: return "FLOAT"
        case 0x53: return "STRING"
        case 0x56: return "UNICODE"
        case 0x50: return "PERSID"
        case 0x67: return "GET"
        case 0x70: return "PUT"
        case 0x69: return "INST"
        case 0x6F: return "OBJ"
        case 0x64: return "DICT"
        case 0x6C: return "LIST"
        case 0x82, 0x83, 0x84: return "EXT"
        case 0x97: return "NEXT_BUFFER"
        case 0x98: return "READONLY_BUFFER"
        default: return "0x" + String(byte, radix: 16, uppercase: true)
        }
    }
}
