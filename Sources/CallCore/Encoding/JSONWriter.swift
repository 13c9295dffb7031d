/// Appends compact JSON straight to a byte array; commas are placed automatically between members and elements.
public struct JSONWriter: Sendable {
    /// The JSON written so far.
    public private(set) var bytes: [UInt8]
    /// True right after a value or a closing bracket, so the next member or element needs a comma first;
    /// false right after `{`, `[` or a key. That one flag suffices because keys are always followed by a value.
    private var needsComma = false

    /// Creates an empty writer with room for `capacity` bytes; it grows as values are written (see `reserve`).
    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Creates an empty writer; it grows as values are written (see `reserve`).
    public init() {
        self.init(capacity: 256)
    }

    // MARK: - Scalars

    /// Writes a string, escaping `"`, `\` and every control character below U+0020; other characters pass through as UTF-8.
    public mutating func string(_ value: String) {
        rawValue { $0.string(value) }
    }

    /// Writes an integer.
    public mutating func integer(_ value: Int64) {
        rawValue { $0.integer(value) }
    }

    /// Writes an integer.
    public mutating func integer(_ value: Int) {
        integer(Int64(value))
    }

    /// Writes `true` or `false`.
    public mutating func bool(_ value: Bool) {
        separate()
        appendASCII(value ? "true" : "false")
        needsComma = true
    }

    /// Writes `null`.
    public mutating func null() {
        separate()
        appendASCII("null")
        needsComma = true
    }

    /// Writes a string, or `null` when absent.
    public mutating func string(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    /// Writes an integer, or `null` when absent.
    public mutating func integer(_ value: Int64?) {
        if let value { integer(value) } else { null() }
    }

    /// Writes a parsed JSON value back out (numbers that were not `Int64` keep their original literal).
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .integer(let number): integer(number)
        case .largeInteger(let literal), .number(let literal):
            separate()
            appendASCII(literal)
            needsComma = true
        case .string(let text): string(text)
        case .array(let elements):
            array { writer in
                for element in elements { writer.value(element) }
            }
        case .object(let members):
            object { writer in
                for member in members {
                    writer.key(member.key)
                    writer.value(member.value)
                }
            }
        }
    }

    /// Appends bytes that already form one complete JSON value (for pre-encoded fragments).
    public mutating func rawValue(_ json: [UInt8]) {
        separate()
        bytes.append(contentsOf: json)
        needsComma = true
    }

    // MARK: - Containers

    /// Opens an object; pair with `endObject()`.
    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// Closes the innermost object.
    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Opens an array; pair with `endArray()`.
    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    /// Closes the innermost array.
    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes an object whose members `body` writes.
    public mutating func object(_ body: (inout JSONWriter) -> Void) {
        beginObject()
        body(&self)
        endObject()
    }

    /// Writes an array whose elements `body` writes.
    public mutating func array(_ body: (inout JSONWriter) -> Void) {
        beginArray()
        body(&self)
        endArray()
    }

    /// Writes a member key inside an object; the next write is its value.
    public mutating func key(_ name: String) {
        fragment(startsValue: true, endsWithKey: true) { sink in
            sink.string(name)
            sink.raw(":")
        }
    }

    /// Writes one value through a `JSONByteSink` straight into the array's spare capacity.
    mutating func rawValue(_ body: (inout JSONByteSink) -> Void) {
        fragment(startsValue: true, endsWithKey: false, body)
    }

    /// Writes part of a value through a sink: constant keys and punctuation (commas included) with the values
    /// between them. A fragment that `startsValue` is placed like any value (after a comma if one is due); one
    /// that `endsWithKey` leaves the writer expecting that key's value.
    ///
    /// The sink writes into the spare capacity (at least `minimumRoom`); when that is too small it counts what
    /// the writes take instead, and `body` runs once more in that much room. Callers that know a large value is
    /// coming (a page of calls) reserve for it first, so the common case writes once.
    mutating func fragment(startsValue: Bool, endsWithKey: Bool, _ body: (inout JSONByteSink) -> Void) {
        if startsValue { separate() }
        var room = max(bytes.capacity - bytes.count, Self.minimumRoom)
        var attempts = 0
        while true {
            var needed = 0
            bytes.append(addingCapacity: room) { span in
                span.withUnsafeMutableBufferPointer { buffer, initialized in
                    var sink = JSONByteSink(buffer)
                    body(&sink)
                    needed = sink.overflowed ? sink.count : 0
                    initialized = sink.overflowed ? 0 : sink.count
                }
            }
            if needed == 0 { break }
            attempts += 1
            assert(attempts == 1, "a second run of the same writes fits in the room the first one counted")
            room = needed + JSONByteSink.checkMargin
        }
        needsComma = !endsWithKey
    }

    /// Writes one value with `body` and returns the range of `bytes` it takes (without the comma before it), so
    /// a caller can hash or slice exactly that value whatever surrounds it.
    public mutating func range(of body: (inout JSONWriter) -> Void) -> Range<Int> {
        separate()
        needsComma = false
        let start = bytes.count
        body(&self)
        return start..<bytes.count
    }

    /// Makes room for `additional` more bytes; a growing buffer at least doubles, so a response written in
    /// pieces is copied a logarithmic number of times.
    public mutating func reserve(_ additional: Int) {
        guard additional > bytes.capacity - bytes.count else { return }
        bytes.reserveCapacity(max(bytes.count + additional, 2 * bytes.capacity))
    }

    /// The spare room a fragment starts with at least: a key, a number or a short string.
    private static let minimumRoom = 64

    // MARK: - Members

    /// Writes `"name": value` for a string.
    public mutating func member(_ name: String, _ value: String) {
        key(name)
        string(value)
    }

    /// Writes `"name": value` for a string or `null`.
    public mutating func member(_ name: String, _ value: String?) {
        key(name)
        string(value)
    }

    /// Writes `"name": value` for an integer.
    public mutating func member(_ name: String, _ value: Int64) {
        key(name)
        integer(value)
    }

    /// Writes `"name": value` for an integer or `null`.
    public mutating func member(_ name: String, _ value: Int64?) {
        key(name)
        integer(value)
    }

    /// Writes `"name": value` for an integer.
    public mutating func member(_ name: String, _ value: Int) {
        key(name)
        integer(value)
    }

    /// Writes `"name": value` for a boolean.
    public mutating func member(_ name: String, _ value: Bool) {
        key(name)
        bool(value)
    }

    /// Writes `"name": <whatever body writes>` (one value).
    public mutating func member(_ name: String, _ body: (inout JSONWriter) -> Void) {
        key(name)
        body(&self)
    }

    /// Writes `"name": null`.
    public mutating func nullMember(_ name: String) {
        key(name)
        null()
    }

    // MARK: - Encoding

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func appendASCII(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }
}
