/// Media type comparison per RFC 9110 §8.3.1: type/subtype case-insensitive, parameters after `;`.
/// Works on the value's bytes: it runs on every request with a body, so it splits nothing into strings.
enum MediaType {
    /// Whether `value` (a header's bytes) is `expected` (lower-case ASCII), with any parameters, and a `charset`, if
    /// given, UTF-8.
    static func matches(_ value: UnsafeRawBufferPointer, _ expected: String) -> Bool {
        // The usual value is the bare type as expected: no parameters to look at.
        if value.count == expected.utf8.count, equalsLowercased(value, expected) { return true }
        let bytes = Array(value)[...]
        var parts = bytes.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false)[...]
        guard let essence = parts.popFirst(), equalsLowercased(trimmed(essence), expected) else { return false }
        for parameter in parts {
            guard let equals = parameter.firstIndex(of: UInt8(ascii: "=")) else { return false }
            guard equalsLowercased(trimmed(parameter[..<equals]), "charset") else { continue }
            var charset = trimmed(parameter[(equals + 1)...])
            if charset.count >= 2, charset.first == UInt8(ascii: "\""), charset.last == UInt8(ascii: "\"") {
                charset = charset.dropFirst().dropLast()
            }
            guard equalsLowercased(charset, "utf-8") || equalsLowercased(charset, "utf8") else { return false }
        }
        return true
    }

    /// The bytes without leading and trailing spaces and tabs.
    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { slice.removeFirst() }
        while let last = slice.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { slice.removeLast() }
        return slice
    }

    /// ASCII letters compared without case; `lowercase` must be lower-case ASCII.
    private static func equalsLowercased<Bytes: Sequence<UInt8>>(_ bytes: Bytes, _ lowercase: String) -> Bool {
        bytes.elementsEqual(lowercase.utf8) { byte, wanted in
            (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte) == wanted
        }
    }
}
