/// A parsed JSON value that keeps what API validation needs: integers apart from other numbers, and object members in document order.
public enum JSONValue: Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer literal (no fraction, no exponent) that fits in `Int64`; `-0` is `.integer(0)`.
    case integer(Int64)
    /// An integer literal outside the `Int64` range, kept verbatim so a message can say "too large" rather than "not an integer".
    case largeInteger(String)
    /// A number with a fraction or an exponent (`1.0`, `1e3`), kept verbatim; never an integer, even when its value is whole.
    case number(String)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object; members in document order, keys unique (the reader rejects duplicates).
    case object([(key: String, value: JSONValue)])
}

extension JSONValue {
    /// A short phrase naming the value's JSON type, for error messages ("a string", "a non-integer number").
    public var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer: return "an integer"
        case .largeInteger: return "an integer outside the signed 64-bit range"
        case .number: return "a non-integer number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// Whether the value is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value of the member named `key` when this is an object (a linear scan: meant for small objects and tests).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        for member in members where member.key == key {
            return member.value
        }
        return nil
    }
}

extension JSONValue: Equatable {
    /// Structural equality; object members compare in order, numbers by their literal or integer value.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.integer(a), .integer(b)): return a == b
        case let (.largeInteger(a), .largeInteger(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }
}
