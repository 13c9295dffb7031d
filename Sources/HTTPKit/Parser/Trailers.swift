/// Rules for the trailer section of a chunked body (RFC 9112 §7.1.2, RFC 9110 §6.5).
enum Trailers {
    /// Rejects trailer fields that control framing or routing (RFC 9110 §6.5.1): they are
    /// discarded here, but a proxy in front of us that merged them could frame differently.
    static func check(_ bytes: UnsafeRawBufferPointer, fields: [FieldSpan]) throws(HTTPParseError) {
        assert(fields.allSatisfy { $0.name.upperBound <= bytes.count }, "the fields lie within the section's bytes")
        for field in fields {
            let name = UnsafeRawBufferPointer(rebasing: bytes[field.name])
            if ASCII.equalsIgnoringCase(name, "content-length")
                || ASCII.equalsIgnoringCase(name, "transfer-encoding")
                || ASCII.equalsIgnoringCase(name, "host")
                || ASCII.equalsIgnoringCase(name, "trailer") {
                throw .invalidTrailer
            }
        }
    }
}
