/// How the body of a request is delimited (RFC 9112 §6.3).
public enum HTTPBodyFraming: Sendable, Equatable {
    /// No body: neither Content-Length nor Transfer-Encoding was sent.
    case none
    /// Exactly this many body bytes follow the head (may be 0).
    case contentLength(Int)
    /// The body is in chunked transfer coding, ended by the last chunk and trailers.
    case chunked
}
