import CallCore

/// What one POST to `/mcp` comes to, decided from its body and headers alone (no store, no sockets).
enum MCPOutcome: Sendable {
    /// A notification or a response: 202 with no body.
    case accepted
    /// A JSON-RPC answer ready to send, with its HTTP status.
    case reply(status: Int, body: [UInt8])
    /// `tools/call` of `list_calls` with a valid input: the list to run.
    case listCalls(id: JSONRPCID, query: ListQuery)
    /// `tools/call` of `get_call` with a valid input: the call to read.
    case getCall(id: JSONRPCID, callID: String)
    /// `tools/call` of `list_changes` with a valid input: the changes page to read.
    case listChanges(id: JSONRPCID, request: ChangesRequest)
}
