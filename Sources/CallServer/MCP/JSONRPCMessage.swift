import CallCore

/// One message a client POSTs to `/mcp`, classified by its shape.
enum JSONRPCMessage: Sendable, Equatable {
    /// A request: answered with a result or an error carrying `id`. `params` is nil when absent or `null`.
    case request(id: JSONRPCID, method: String, params: JSONValue?)
    /// A notification (a method without an id): accepted, never answered.
    case notification(method: String)
    /// The client's answer to a request of ours: accepted (this server sends no requests).
    case response
}
