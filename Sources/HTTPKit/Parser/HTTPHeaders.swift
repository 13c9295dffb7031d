/// Header fields in arrival order, duplicates kept, names as sent.
///
/// Not a dictionary on purpose: folding fields into a map would silently drop a
/// duplicate Content-Length or Host, which is how request smuggling starts.
public struct HTTPHeaders: Sendable, Sequence, Equatable {
    /// Every field line as (name, value), value with surrounding whitespace trimmed.
    public private(set) var fields: [(name: String, value: String)]

    /// No fields.
    public init() {
        fields = []
    }

    /// The given fields, in this order.
    public init(_ fields: [(name: String, value: String)]) {
        self.fields = fields
    }

    /// Adds a field after the existing ones.
    public mutating func append(name: String, value: String) {
        fields.append((name: name, value: value))
    }

    /// Reserves room for this many fields.
    public mutating func reserveCapacity(_ count: Int) {
        fields.reserveCapacity(count)
    }

    /// The value of the first field with this name (ASCII case-insensitive), or nil.
    public func first(_ name: String) -> String? {
        fields.first { ASCII.equalsIgnoringCase($0.name, name) }?.value
    }

    /// The values of every field with this name (ASCII case-insensitive), in arrival order.
    public func values(_ name: String) -> [String] {
        fields.compactMap { ASCII.equalsIgnoringCase($0.name, name) ? $0.value : nil }
    }

    /// How many field lines there are.
    public var count: Int { fields.count }

    /// Iterates the fields in arrival order.
    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        fields.makeIterator()
    }

    /// Same fields, same order, names compared exactly.
    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}
