import CallCore

/// The session-less MCP server: every message is answered from itself and the request's headers, so any
/// event loop (or any replica) can answer any message; `initialize` negotiates nothing that later messages need.
enum MCPDispatcher {
    /// The outcome of one POST body, in API.md's order: the body (400 with -32700 or -32600), then the
    /// `MCP-Protocol-Version` header (400 with -32600), then the method.
    static func outcome(body: [UInt8], header: MCPRevision.Header) -> MCPOutcome {
        let message: JSONRPCMessage
        switch JSONRPCParser.parse(body) {
        case .failure(let failure):
            return .reply(status: 400, body: JSONRPCReply.error(failure))
        case .success(let parsed):
            message = parsed
        }
        var requestID: JSONRPCID?
        if case .request(let id, _, _) = message { requestID = id }
        if let refusal = MCPRevision.refusal(header, id: requestID) {
            return .reply(status: 400, body: JSONRPCReply.error(refusal))
        }
        switch message {
        case .notification, .response:
            return .accepted
        case .request(let id, let method, let params):
            return answer(id: id, method: method, params: params)
        }
    }

    /// The methods answered; any other is -32601 whatever its params.
    private static let methods: Set<String> = ["initialize", "ping", "tools/list", "tools/call"]

    private static func answer(id: JSONRPCID, method: String, params: JSONValue?) -> MCPOutcome {
        if methods.contains(method), let params, !isObject(params) {
            return invalidParams(id, "params must be an object, not \(params.kindDescription).")
        }
        switch method {
        case "initialize":
            guard case .string(let requested)? = params?["protocolVersion"] else {
                return invalidParams(id, "initialize needs params.protocolVersion, a string.")
            }
            return ok(JSONRPCReply.result(id: id) { $0.value(MCPServerInfo.initializeResult(MCPRevision.negotiate(requested))) })
        case "ping":
            return ok(JSONRPCReply.result(id: id) { $0.object { _ in } })
        case "tools/list":
            if let cursor = params?["cursor"], !cursor.isNull {
                return invalidParams(id, "tools/list has a single page: there is no cursor to continue from.")
            }
            return ok(JSONRPCReply.result(id: id) { $0.rawValue(MCPToolCatalog.listing) })
        case "tools/call":
            return callTool(id: id, params: params)
        default:
            return .reply(status: 200, body: JSONRPCReply.error(
                id: id, code: JSONRPCReply.methodNotFound, message: "Method not found: \(method.abbreviatedForMessage)."))
        }
    }

    /// `tools/call`: the tool's name, then its arguments decoded exactly as the REST route decodes its body.
    private static func callTool(id: JSONRPCID, params: JSONValue?) -> MCPOutcome {
        guard case .string(let name)? = params?["name"] else {
            return invalidParams(id, "tools/call needs params.name, the tool's name (a string).")
        }
        var arguments: JSONValue = .object([])
        if let given = params?["arguments"], !given.isNull {
            guard isObject(given) else {
                return invalidParams(id, "params.arguments must be an object, not \(given.kindDescription).")
            }
            arguments = given
        }
        switch name {
        case MCPToolCatalog.listCalls:
            do throws(APIError) {
                return .listCalls(id: id, query: try ListRequestDecoder.decode(arguments))
            } catch {
                return ok(MCPToolResult.failure(id: id, error))
            }
        case MCPToolCatalog.getCall:
            do throws(APIError) {
                return .getCall(id: id, callID: try CallReferenceDecoder.decode(arguments))
            } catch {
                return ok(MCPToolResult.failure(id: id, error))
            }
        case MCPToolCatalog.listChanges:
            do throws(APIError) {
                return .listChanges(id: id, request: try ChangesRequest.decode(arguments))
            } catch {
                return ok(MCPToolResult.failure(id: id, error))
            }
        default:
            return invalidParams(
                id, "Unknown tool: \(name.abbreviatedForMessage); the tools are \(MCPToolCatalog.listCalls), \(MCPToolCatalog.getCall) and \(MCPToolCatalog.listChanges).")
        }
    }

    private static func ok(_ body: [UInt8]) -> MCPOutcome {
        .reply(status: 200, body: body)
    }

    private static func invalidParams(_ id: JSONRPCID, _ message: String) -> MCPOutcome {
        .reply(status: 200, body: JSONRPCReply.error(id: id, code: JSONRPCReply.invalidParams, message: message))
    }

    private static func isObject(_ value: JSONValue) -> Bool {
        if case .object = value { return true }
        return false
    }
}
