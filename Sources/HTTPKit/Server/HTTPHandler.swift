/// What a handler decided from the request head alone.
public struct HTTPAdmission: Sendable {
    /// The largest body the handler accepts for this request.
    public var maxBodyBytes: Int
    /// Whatever the handler learned while admitting (e.g. the authenticated caller), handed back in `respond`.
    public var context: (any Sendable)?

    /// Creates an admission.
    public init(maxBodyBytes: Int, context: (any Sendable)? = nil) {
        self.maxBodyBytes = maxBodyBytes
        self.context = context
    }
}

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

/// A route's behaviour, split the way API.md orders its checks: `admit` runs once the head is
/// parsed (credentials, scope, path parameters, size, media type), before any body byte is read;
/// `respond` runs once the body is complete.
public protocol HTTPHandler: Sendable {
    /// Decides from the head whether the body may be read; throws an `HTTPResponseError` to reject.
    func admit(_ head: HTTPRequestHead, parameters: [String: String]) throws -> HTTPAdmission
    /// Produces the response; a thrown `HTTPResponseError` becomes its error response, anything else a 500.
    func respond(to request: HTTPRequest) throws -> HTTPResponse
}
