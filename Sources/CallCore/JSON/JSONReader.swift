/// A strict RFC 8259 JSON parser over bytes: UTF-8 validated, duplicate keys and excessive nesting rejected, integers kept apart from other numbers.
public enum JSONReader {
    /// Default nesting limit: deep enough for any request this API takes, shallow enough that recursion can never exhaust the stack.
    public static let defaultMaxDepth = 64

    /// Parses exactly one JSON text (surrounding whitespace allowed) from `bytes`.
    public static func parse(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        var parser = JSONByteParser(bytes: bytes, maxDepth: maxDepth)
        return try parser.parseDocument()
    }

    /// Parses exactly one JSON text from an array of bytes.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(JSONParseError) in try parse(raw, maxDepth: maxDepth) }
        }.get()
    }

    /// Parses exactly one JSON text from a slice of bytes (an NDJSON line, say); offsets count from the slice's start.
    public static func parse(_ bytes: ArraySlice<UInt8>, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(JSONParseError) in try parse(raw, maxDepth: maxDepth) }
        }.get()
    }

    /// Parses exactly one JSON text from the UTF-8 of a string (convenient in tests and for configuration).
    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8), maxDepth: maxDepth)
    }
}
