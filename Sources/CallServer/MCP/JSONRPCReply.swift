import CallCore

/// Writes the JSON-RPC 2.0 answers of `/mcp`: `{"jsonrpc":"2.0","id":…,"result":…}` or `…"error":{code,message,data}`.
enum JSONRPCReply {
    /// JSON-RPC 2.0 §5.1: no such method.
    static let methodNotFound = -32601
    /// JSON-RPC 2.0 §5.1: the method's params are not valid (MCP also uses it for an unknown tool).
    static let invalidParams = -32602

    /// A success answer to request `id` whose `result` is what `result` writes (one JSON value).
    static func result(id: JSONRPCID, _ result: (inout JSONWriter) -> Void) -> [UInt8] {
        var writer = JSONWriter()
        writer.object { message in
            message.member("jsonrpc", "2.0")
            message.key("id")
            message.value(id.json)
            message.member("result", result)
        }
        return writer.bytes
    }

    /// An error answer; `id` is null when the request's id could not be read.
    static func error(id: JSONRPCID?, code: Int, message text: String, data: JSONValue? = nil) -> [UInt8] {
        var writer = JSONWriter()
        writer.object { message in
            message.member("jsonrpc", "2.0")
            message.key("id")
            message.value(id?.json ?? .null)
            message.member("error") { error in
                error.object { error in
                    error.member("code", code)
                    error.member("message", text)
                    if let data {
                        error.key("data")
                        error.value(data)
                    }
                }
            }
        }
        return writer.bytes
    }

    /// The answer to a failure to read the message.
    static func error(_ failure: JSONRPCFailure) -> [UInt8] {
        error(id: failure.id, code: failure.code, message: failure.message, data: failure.data)
    }
}
