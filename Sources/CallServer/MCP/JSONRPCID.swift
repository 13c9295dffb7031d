import CallCore

/// A JSON-RPC request id as MCP allows it: a string or an integer (never null, never a fraction).
enum JSONRPCID: Sendable, Equatable {
    case string(String)
    case integer(Int64)

    /// The id as it is echoed in the answer.
    var json: JSONValue {
        switch self {
        case .string(let text): return .string(text)
        case .integer(let number): return .integer(number)
        }
    }
}
