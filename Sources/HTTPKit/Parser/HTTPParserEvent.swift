/// What one call of `HTTPRequestParser.parse(_:)` found.
public enum HTTPParserEvent: Sendable, Equatable {
    /// Everything given was examined; call again once more bytes have arrived.
    case needMoreData
    /// A complete, validated request head.
    case head(HTTPRequestHead)
    /// Body bytes, as indices into the buffer given to this call (chunk framing removed); never empty.
    case body(Range<Int>)
    /// The message is complete; the parser is ready for the next request (pipelining).
    case end
}
