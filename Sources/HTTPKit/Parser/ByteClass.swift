/// Character classes as one 256-entry table of bit flags: one load and one mask per byte
/// (picohttpparser's token table idea).
enum ByteClass {
    /// tchar (RFC 9110 §5.6.2): method, field name, chunk extension name, token values.
    static let token: UInt8 = 1 << 0
    /// A byte allowed in a request-target: RFC 3986 unreserved, gen-delims but "#", sub-delims, and "%".
    static let target: UInt8 = 1 << 1
    /// field-vchar, SP or HTAB (RFC 9110 §5.5); obs-text (0x80–0xFF) included.
    static let fieldValue: UInt8 = 1 << 2
    /// unreserved / sub-delims (RFC 3986 §3.2.2 reg-name, percent-encoding handled apart).
    static let regName: UInt8 = 1 << 3
    /// qdtext (RFC 9110 §5.6.4): inside a quoted-string without escaping.
    static let quotedText: UInt8 = 1 << 4
    /// HEXDIG.
    static let hexDigit: UInt8 = 1 << 5
    /// DIGIT.
    static let digit: UInt8 = 1 << 6

    /// Whether `byte` is in any of the classes in `mask`.
    @inline(__always)
    static func contains(_ byte: UInt8, _ mask: UInt8) -> Bool {
        table.contains(byte, mask)
    }

    /// The table as a value: hot loops copy it into a local once, because every access to a
    /// global goes through a lazy-initialization check.
    struct Table: Sendable {
        fileprivate let flags: [UInt8]

        /// Whether `byte` is in any of the classes in `mask`.
        @inline(__always)
        func contains(_ byte: UInt8, _ mask: UInt8) -> Bool {
            flags[Int(byte)] & mask != 0
        }
    }

    /// The 256 entries, built once from the RFC character lists below.
    static let table = Table(flags: makeFlags())

    private static func makeFlags() -> [UInt8] {
        var table = [UInt8](repeating: 0, count: 256)
        func add(_ bytes: String, _ flag: UInt8) {
            for byte in bytes.utf8 { table[Int(byte)] |= flag }
        }
        func add(_ range: ClosedRange<UInt8>, _ flag: UInt8) {
            for byte in range { table[Int(byte)] |= flag }
        }
        let letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
        let digits = "0123456789"
        let unreserved = letters + digits + "-._~"
        let subDelims = "!$&'()*+,;="

        add(letters + digits + "!#$%&'*+-.^_`|~", token)
        add(unreserved + subDelims + ":/?[]@%", target)
        add(0x21...0x7E, fieldValue)
        add(0x80...0xFF, fieldValue)
        add(" \t", fieldValue)
        add(unreserved + subDelims, regName)
        add(" \t!", quotedText)
        add(0x23...0x5B, quotedText)
        add(0x5D...0x7E, quotedText)
        add(0x80...0xFF, quotedText)
        add(digits + "abcdefABCDEF", hexDigit)
        add(digits, digit)
        return table
    }
}
