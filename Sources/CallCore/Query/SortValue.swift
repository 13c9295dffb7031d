/// A call's value in one sort field, as the list order compares it: an integer, a string compared byte by byte,
/// or absent (the call sorts last in either direction).
public enum SortValue: Sendable, Equatable {
    /// The call has no value for the field.
    case absent
    /// An integer field's value.
    case integer(Int64)
    /// A string field's value, ordered byte by byte.
    case text(String)

    /// The integer, when this is one.
    var integer: Int64? {
        guard case .integer(let value) = self else { return nil }
        return value
    }

    /// The string, when this is one.
    var text: String? {
        guard case .text(let value) = self else { return nil }
        return value
    }
}
