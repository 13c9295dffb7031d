/// Header fields in arrival order, duplicates kept, names as sent.
///
/// Not a dictionary on purpose: folding fields into a map would silently drop a
/// duplicate Content-Length or Host, which is how request smuggling starts.
///
/// The fields are kept as bytes (one buffer for the whole section plus offsets), and a `String` is
/// made only for a field someone asks for: a route reads two or three of a request's fields, so
/// building a string for every name and value would be most of the cost of a small request.
public struct HTTPHeaders: Sendable, Sequence, Equatable {
    /// Where one field lies in `storage`: the name is `start..<split`, the value `split..<end`.
    private struct Span: Sendable, Equatable {
        var start: Int
        var split: Int
        var end: Int

        /// Whether the name and value lie in order within `count` bytes of storage (for asserts).
        func lies(within count: Int) -> Bool { 0 <= start && start <= split && split <= end && end <= count }
    }

    private var storage: [UInt8] = []
    private var spans: [Span] = []

    /// No fields.
    public init() {}

    /// The given fields, in this order.
    public init(_ fields: [(name: String, value: String)]) {
        for field in fields { append(name: field.name, value: field.value) }
    }

    /// Adds a field after the existing ones.
    public mutating func append(name: String, value: String) {
        var name = name
        var value = value
        name.withUTF8 { name in
            value.withUTF8 { value in append(name: UnsafeRawBufferPointer(name), value: UnsafeRawBufferPointer(value)) }
        }
    }

    /// Adds a field from raw bytes (the parser's path: no strings are made).
    mutating func append(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        let start = storage.count
        storage.append(contentsOf: name)
        let split = storage.count
        storage.append(contentsOf: value)
        spans.append(Span(start: start, split: split, end: storage.count))
    }

    /// Reserves room for this many fields.
    public mutating func reserveCapacity(_ count: Int) {
        spans.reserveCapacity(count)
    }

    /// Reserves room for this many bytes of names and values.
    mutating func reserveBytes(_ count: Int) {
        storage.reserveCapacity(count)
    }

    /// The value of the first field with this name (ASCII case-insensitive), or nil.
    public func first(_ name: String) -> String? {
        withFields(named: name) { raw, fields in fields.first.map { Self.value(raw, $0) } }
    }

    /// The value of the one field with this name (ASCII case-insensitive); nil when there is none or more than one.
    /// `isPresent` tells those two apart. Unlike `values`, it builds no array.
    public func only(_ name: String) -> (value: String?, isPresent: Bool) {
        withOnlyValue(name) { value, isPresent in (value.map { String(decoding: $0, as: UTF8.self) }, isPresent) }
    }

    /// Calls `body` with the bytes of the one field with this name (ASCII case-insensitive), nil when there is none
    /// or more than one, and whether any is present: `only` without making a string, for values a route only compares
    /// or hashes (valid only during the call).
    public func withOnlyValue<R>(_ name: String, _ body: (_ value: UnsafeRawBufferPointer?, _ isPresent: Bool) -> R) -> R {
        withFields(named: name) { raw, fields in
            var matching = fields.makeIterator()
            guard let field = matching.next() else { return body(nil, false) }
            guard matching.next() == nil else { return body(nil, true) }
            return body(Self.bytes(raw, field), true)
        }
    }

    /// The values of every field with this name (ASCII case-insensitive), in arrival order.
    public func values(_ name: String) -> [String] {
        withFields(named: name) { raw, fields in fields.map { Self.value(raw, $0) } }
    }

    /// Calls `body` with the section's bytes and, lazily, the fields named `name` (ASCII case-insensitive) in arrival
    /// order: the one scan behind `first`, `only` and `values`.
    private func withFields<R>(named name: String, _ body: (UnsafeRawBufferPointer, LazyFilterSequence<[Span]>) -> R) -> R {
        var name = name
        return name.withUTF8 { wanted in
            storage.withUnsafeBytes { raw in body(raw, spans.lazy.filter { Self.nameMatches(raw, $0, wanted) }) }
        }
    }

    /// How many field lines there are.
    public var count: Int { spans.count }

    /// Iterates the fields in arrival order, making each name and value as it goes.
    public func makeIterator() -> Iterator {
        Iterator(headers: self)
    }

    /// Makes the (name, value) strings of one field at a time.
    public struct Iterator: IteratorProtocol {
        let headers: HTTPHeaders
        var index = 0

        /// The next field, or nil after the last.
        public mutating func next() -> (name: String, value: String)? {
            guard index < headers.spans.count else { return nil }
            let span = headers.spans[index]
            index += 1
            return headers.storage.withUnsafeBytes { raw in
                (String(decoding: UnsafeRawBufferPointer(rebasing: raw[span.start..<span.split]), as: UTF8.self),
                 HTTPHeaders.value(raw, span))
            }
        }
    }

    /// Same fields, same order, names compared exactly.
    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        // Fields are stored back to back, so equal fields mean equal offsets and equal bytes.
        lhs.spans == rhs.spans && lhs.storage == rhs.storage
    }

    private static func nameMatches(_ raw: UnsafeRawBufferPointer, _ span: Span, _ wanted: UnsafeBufferPointer<UInt8>) -> Bool {
        assert(span.lies(within: raw.count), "a span lies within the storage")
        guard wanted.count == span.split - span.start else { return false }
        for offset in 0..<wanted.count where ASCII.lowercased(raw[span.start + offset]) != ASCII.lowercased(wanted[offset]) {
            return false
        }
        return true
    }

    private static func value(_ raw: UnsafeRawBufferPointer, _ span: Span) -> String {
        String(decoding: bytes(raw, span), as: UTF8.self)
    }

    private static func bytes(_ raw: UnsafeRawBufferPointer, _ span: Span) -> UnsafeRawBufferPointer {
        assert(span.lies(within: raw.count), "a span lies within the storage")
        return UnsafeRawBufferPointer(rebasing: raw[span.split..<span.end])
    }
}
