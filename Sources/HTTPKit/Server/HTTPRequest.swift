/// A complete request as a handler sees it.
public struct HTTPRequest: Sendable {
    /// The parsed head.
    public var head: HTTPRequestHead
    /// Path parameters captured by the route pattern, still percent-encoded.
    public var parameters: [String: String]
    /// The body, with any chunked framing removed.
    public var body: [UInt8]
    /// The request id echoed in `X-Request-Id` and in log lines.
    public var requestID: String
    /// The context returned by `admit`.
    public var context: (any Sendable)?
}
