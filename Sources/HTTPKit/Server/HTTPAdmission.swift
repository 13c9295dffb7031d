/// What a handler decided from the request head alone.
public struct HTTPAdmission: Sendable {
    /// The largest body the handler accepts for this request; nil: the server's `HTTPLimits.maxBodyBytes`. The
    /// connection holds the body to it: a larger `Content-Length` is 413 before any body byte is read, and a chunked
    /// body is 413 once it passes it.
    public var maxBodyBytes: Int?
    /// Whatever the handler learned while admitting (e.g. the authenticated caller), handed back in `respond`.
    public var context: (any Sendable)?

    /// Creates an admission; without `maxBodyBytes`, the server's body limit applies.
    public init(maxBodyBytes: Int? = nil, context: (any Sendable)? = nil) {
        self.maxBodyBytes = maxBodyBytes
        self.context = context
    }
}
