/// Where one field line's name and value lie in the buffer (offsets from the start of the parsed unit).
struct FieldSpan: Sendable {
    /// The field name, as sent.
    var name: Range<Int>
    /// The field value without leading and trailing whitespace.
    var value: Range<Int>
}
