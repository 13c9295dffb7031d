/// Validates one field line, `field-name ":" OWS field-value OWS` (RFC 9112 §5).
enum FieldLine {
    /// Checks the line in `line` (CRLF excluded) and returns where its name and trimmed value are.
    /// - Parameter leadingWhitespace: the error for a line that starts with SP or HTAB.
    static func parse(
        _ bytes: UnsafeRawBufferPointer, line: Range<Int>, leadingWhitespace: HTTPParseError
    ) throws(HTTPParseError) -> FieldSpan {
        let start = line.lowerBound
        let end = line.upperBound
        // The section scanner hands over only non-empty lines (an empty one ends the section).
        assert(start >= 0 && start < end && end <= bytes.count, "a non-empty line within the bytes")
        // RFC 9112 §5.2: obs-fold is rejected, never unfolded; §2.2: so is whitespace after the start line.
        if ASCII.isWhitespace(bytes[start]) { throw leadingWhitespace }

        let classes = ByteClass.table
        var index = start
        while index < end, classes.contains(bytes[index], ByteClass.token) { index += 1 }
        let nameEnd = index
        guard index < end else { throw .missingHeaderColon }
        if bytes[index] != ASCII.colon {
            guard ASCII.isWhitespace(bytes[index]) else { throw .invalidHeaderName }
            // RFC 9112 §5.1: whitespace between name and colon MUST be rejected (it is a smuggling vector).
            var afterSpace = index
            while afterSpace < end, ASCII.isWhitespace(bytes[afterSpace]) { afterSpace += 1 }
            guard afterSpace < end, bytes[afterSpace] == ASCII.colon else { throw .invalidHeaderName }
            throw nameEnd > start ? .whitespaceBeforeColon : .invalidHeaderName
        }
        guard nameEnd > start else { throw .invalidHeaderName }

        index += 1
        while index < end, ASCII.isWhitespace(bytes[index]) { index += 1 }
        let valueStart = index
        var valueEnd = index
        // RFC 9110 §5.5: NUL, CR, LF and other CTLs are invalid in a value; HTAB and obs-text are allowed.
        while index < end {
            let byte = bytes[index]
            index += 1
            if byte > ASCII.space && byte != 0x7F { // VCHAR or obs-text: the common case, no table needed
                valueEnd = index
            } else if !ASCII.isWhitespace(byte) {
                throw .invalidHeaderValue
            }
        }
        return FieldSpan(name: start..<nameEnd, value: valueStart..<valueEnd)
    }
}
