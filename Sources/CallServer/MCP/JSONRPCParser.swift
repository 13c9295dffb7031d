import CallCore

/// Reads a POST body as one JSON-RPC 2.0 message, with the strict JSON reader (duplicate keys, depth and number
/// rules as everywhere else); nothing is trusted: every member is checked for its type before use.
enum JSONRPCParser {
    /// The message in `body`, or the failure to answer with.
    static func parse(_ body: [UInt8]) -> Result<JSONRPCMessage, JSONRPCFailure> {
        let value: JSONValue
        do {
            value = try JSONReader.parse(body)
        } catch {
            return .failure(JSONRPCFailure(code: JSONRPCFailure.parseErrorCode, message: "Parse error: \(error.message)."))
        }
        return classify(value)
    }

    /// The message a parsed body holds.
    static func classify(_ value: JSONValue) -> Result<JSONRPCMessage, JSONRPCFailure> {
        let members: [(key: String, value: JSONValue)]
        switch value {
        case .object(let found):
            members = found
        case .array:
            return invalid("Batches (JSON arrays) are not supported: send one JSON-RPC message per POST.")
        default:
            return invalid("The body must be one JSON-RPC 2.0 message (a JSON object), not \(value.kindDescription).")
        }
        var fields: [String: JSONValue] = [:]
        for member in members where ["jsonrpc", "id", "method", "params", "result", "error"].contains(member.key) {
            fields[member.key] = member.value
        }
        var id: JSONRPCID?
        switch fields["id"] {
        case nil, .null?:
            break
        case .string(let text)?:
            id = .string(text)
        case .integer(let number)?:
            id = .integer(number)
        case let other?:
            return invalid("id must be a string or an integer, not \(other.kindDescription).")
        }
        guard fields["jsonrpc"] == .string("2.0") else {
            return invalid("jsonrpc must be \"2.0\".", id: id)
        }
        guard let method = fields["method"] else {
            // A response to a server request carries an id (null for some errors) and a result or an error.
            if fields["id"] != nil, fields["result"] != nil || fields["error"] != nil { return .success(.response) }
            return invalid("The message has no method: it is neither a request, a notification nor a response.", id: id)
        }
        guard case .string(let name) = method else {
            return invalid("method must be a string, not \(method.kindDescription).", id: id)
        }
        guard let id else {
            // An explicit `"id": null` is not a notification; JSON-RPC reserves null ids for errors.
            if fields["id"] != nil { return invalid("id must be a string or an integer, not null.") }
            return .success(.notification(method: name))
        }
        let params = fields["params"].flatMap { $0.isNull ? nil : $0 }
        return .success(.request(id: id, method: name, params: params))
    }

    private static func invalid(_ message: String, id: JSONRPCID? = nil) -> Result<JSONRPCMessage, JSONRPCFailure> {
        .failure(JSONRPCFailure(code: JSONRPCFailure.invalidRequestCode, message: "Invalid request: \(message)", id: id))
    }
}
