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
