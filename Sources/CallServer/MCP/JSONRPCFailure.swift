import CallCore

/// Why a body is not one JSON-RPC message: the JSON-RPC error to answer with, in an HTTP 400.
struct JSONRPCFailure: Error, Sendable, Equatable {
    /// JSON-RPC 2.0 §5.1: parse error.
    static let parseErrorCode = -32700
    /// JSON-RPC 2.0 §5.1: the JSON is not a valid request object.
    static let invalidRequestCode = -32600

    var code: Int
    var message: String
    /// The request's id when it could be read, so the client can match the error to its request.
    var id: JSONRPCID?
    var data: JSONValue?
}
