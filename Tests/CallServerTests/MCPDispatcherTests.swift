import CallCore
@testable import CallServer
import HTTPKit
import Testing

/// The `/mcp` message layer without sockets: how a body is read as JSON-RPC, which answer each message gets, and
/// what the tools and the protocol-version header decide.
@Suite struct MCPDispatcherTests {
    /// The outcome of `body` sent with `header`.
    private func outcome(_ body: String, header: MCPRevision.Header = .absent) -> MCPOutcome {
        MCPDispatcher.outcome(body: Array(body.utf8), header: header)
    }

    /// The HTTP status and parsed JSON-RPC answer of an outcome that is a ready reply.
    private func reply(_ body: String, header: MCPRevision.Header = .absent) throws -> (status: Int, message: JSONValue) {
        guard case .reply(let status, let bytes) = outcome(body, header: header) else {
            Issue.record("\(body) was not answered at once")
            throw JSONParseError(.emptyInput, at: 0)
        }
        return (status, try JSONReader.parse(bytes))
    }

    /// The parsed text content of a tool result (the REST envelope of an error result).
    private func toolText(_ message: JSONValue) throws -> JSONValue {
        guard case .array(let blocks)? = message["result"]?["content"], case .string(let text)? = blocks.first?["text"] else {
            Issue.record("no text content in \(String(decoding: message.jsonBytes, as: UTF8.self))")
            throw JSONParseError(.emptyInput, at: 0)
        }
        return try JSONReader.parse(text)
    }

    @Test func bodiesThatAreNotOneJSONRPCMessageAre400WithTheirJSONRPCError() throws {
        let cases: [(body: String, code: Int64)] = [
            ("{\"jsonrpc\":\"2.0\",", -32700),
            ("", -32700),
            ("{\"jsonrpc\":\"2.0\",\"id\":1,\"id\":2,\"method\":\"ping\"}", -32700),
            (String(repeating: "[", count: 100_000), -32700),
            ("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]", -32600),
            ("[]", -32600),
            ("\"ping\"", -32600),
            ("42", -32600),
            ("{\"id\":1,\"method\":\"ping\"}", -32600),
            ("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}", -32600),
            ("{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"ping\"}", -32600),
            ("{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}", -32600),
            ("{\"jsonrpc\":\"2.0\",\"id\":99999999999999999999999,\"method\":\"ping\"}", -32600),
            ("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"}", -32600),
            ("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}", -32600),
            ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}", -32600),
            ("{\"jsonrpc\":\"2.0\",\"id\":1}", -32600),
        ]
        for (body, code) in cases {
            let (status, message) = try reply(body)
            #expect(status == 400, "\(body.prefix(80))")
            #expect(message["error"]?["code"] == .integer(code), "\(body.prefix(80))")
            #expect(message["jsonrpc"] == "2.0")
        }
        // An error about a request whose id could be read names that id, so the client can match it.
        #expect(try reply("{\"jsonrpc\":\"1.0\",\"id\":\"r-1\",\"method\":\"ping\"}").message["id"] == "r-1")
        #expect(try reply("[1]").message["id"] == .null)
    }

    @Test func notificationsAndResponsesAreAcceptedWithoutAnAnswer() {
        for body in [
            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":3}}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"anything/else\",\"params\":[1]}",
            "{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{}}",
            "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-1,\"message\":\"no\"}}",
        ] {
            guard case .accepted = outcome(body) else {
                Issue.record("\(body) was not accepted")
                continue
            }
        }
    }

    @Test func initializeAnswersTheAskedRevisionWhenSpokenElseTheLatest() throws {
        for (asked, answered) in [("2025-11-25", "2025-11-25"), ("2025-06-18", "2025-06-18"),
                                  ("2025-03-26", "2025-11-25"), ("2026-07-28", "2025-11-25"), ("zzz", "2025-11-25")] {
            let (status, message) = try reply(
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"\(asked)\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}")
            #expect(status == 200)
            #expect(message["id"] == 1)
            let result = try #require(message["result"])
            #expect(result["protocolVersion"] == .string(answered))
            #expect(result["capabilities"]?["tools"] != nil)
            #expect(result["serverInfo"]?["name"] == "CallServer")
            #expect(result["instructions"] != nil)
        }
        for params in ["", ",\"params\":{}", ",\"params\":{\"protocolVersion\":20251125}", ",\"params\":[\"2025-11-25\"]", ",\"params\":7"] {
            let (status, message) = try reply("{\"jsonrpc\":\"2.0\",\"id\":\"i\",\"method\":\"initialize\"\(params)}")
            #expect(status == 200)
            #expect(message["error"]?["code"] == -32602, "\(params)")
            #expect(message["id"] == "i")
        }
    }

    @Test func unknownMethodsAreMethodNotFoundWithTheRequestsId() throws {
        for method in ["server/discover", "resources/list", "prompts/list", "notifications/initialized", String(repeating: "m", count: 5000)] {
            let (status, message) = try reply("{\"jsonrpc\":\"2.0\",\"id\":\"q\",\"method\":\"\(method)\"}")
            #expect(status == 200)
            #expect(message["id"] == "q")
            #expect(message["error"]?["code"] == -32601)
            guard case .string(let text)? = message["error"]?["message"] else { continue }
            #expect(text.count < 200)
        }
        // The method is looked up before its params are: an unknown one is -32601 even with params of the wrong shape.
        #expect(try reply("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"sampling/createMessage\",\"params\":[1]}").message["error"]?["code"] == -32601)
        #expect(try reply("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":[1]}").message["error"]?["code"] == -32602)
        let ping = try reply("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\"}")
        #expect(ping.message["result"] == .object([]))
    }

    @Test func anUnsupportedProtocolVersionHeaderIs400NamingTheSupportedOnes() throws {
        let ping = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"
        for header: MCPRevision.Header in [.value("2026-07-28"), .value("2025-03-26"), .value(""), .repeated] {
            let (status, message) = try reply(ping, header: header)
            #expect(status == 400)
            #expect(message["id"] == 1)
            #expect(message["error"]?["code"] == -32600)
            #expect(message["error"]?["data"]?["supported"] == ["2025-11-25", "2025-06-18"])
        }
        #expect(try reply(ping, header: .value("2026-07-28")).message["error"]?["data"]?["requested"] == "2026-07-28")
        for header: MCPRevision.Header in [.absent, .value("2025-11-25"), .value("2025-06-18")] {
            #expect(try reply(ping, header: header).status == 200)
        }
        // A notification with a bad header is refused too; a malformed body is reported before the header.
        guard case .reply(400, _) = outcome("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", header: .value("1999-01-01")) else {
            Issue.record("a notification with an unsupported version was not refused")
            return
        }
        #expect(try reply("{", header: .value("2026-07-28")).message["error"]?["code"] == -32700)
    }

    @Test func toolsListDescribesEveryToolWithTheRESTSchemas() throws {
        let (status, message) = try reply("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{}}")
        #expect(status == 200)
        guard case .array(let tools)? = message["result"]?["tools"] else {
            Issue.record("no tools")
            return
        }
        #expect(tools.map { $0["name"] } == ["list_calls", "get_call", "list_changes"])
        guard tools.count == 3 else { return }
        #expect(tools[0]["inputSchema"] == ListSchemas.request)
        #expect(tools[0]["outputSchema"] == ListSchemas.data)
        #expect(tools[1]["inputSchema"] == CallSchemas.callReference)
        #expect(tools[1]["outputSchema"] == CallSchemas.call)
        #expect(tools[2]["inputSchema"] == ChangesSchemas.request)
        #expect(tools[2]["outputSchema"] == ChangesSchemas.data)
        for tool in tools {
            #expect(tool["annotations"]?["readOnlyHint"] == true)
            #expect(tool["title"] != nil)
            guard case .string(let description)? = tool["description"] else { continue }
            #expect(description.count > 100)
        }
        guard case .string(let listDescription)? = tools[0]["description"] else { return }
        #expect(listDescription.contains("page") && listDescription.contains("exact"))
        #expect(try reply("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{\"cursor\":\"x\"}}").message["error"]?["code"] == -32602)
    }

    @Test func toolCallsDecodeTheirInputLikeTheRESTRoutes() throws {
        let list = #"{"page":1,"limit":5,"sort_by":"call_duration","filter_criteria":{"call_status":["Ended"],"transcript_search":"refund"}}"#
        guard case .listCalls(let id, let query) = outcome(
            "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"list_calls\",\"arguments\":\(list)}}") else {
            Issue.record("list_calls was not run")
            return
        }
        #expect(id == .integer(3))
        #expect(query == (try ListRequestDecoder.decode(Array(list.utf8))))
        for arguments in ["", ",\"arguments\":null", ",\"arguments\":{}"] {
            guard case .listCalls(_, let defaults) = outcome(
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"list_calls\"\(arguments)}}") else {
                Issue.record("list_calls without arguments was not run")
                continue
            }
            #expect(defaults == ListQuery())
        }
        guard case .getCall(.string("g"), "acme-1") = outcome(
            "{\"jsonrpc\":\"2.0\",\"id\":\"g\",\"method\":\"tools/call\",\"params\":{\"name\":\"get_call\",\"arguments\":{\"call_id\":\"acme-1\"}}}") else {
            Issue.record("get_call was not run")
            return
        }
    }

    @Test func badToolInputIsAnErrorResultWithTheRESTEnvelope() throws {
        let cases: [(tool: String, arguments: String, code: String, names: String)] = [
            ("list_calls", #"{"limit":0}"#, "invalid_request", "limit"),
            ("list_calls", #"{"filter_criteria":{"call_status":["ended","bogus"]}}"#, "invalid_request", "filter_criteria.call_status[1]"),
            ("list_calls", #"{"filter_critera":{}}"#, "invalid_request", "filter_critera"),
            ("list_calls", #"{"page":"1"}"#, "invalid_request", "page"),
            ("get_call", #"{}"#, "invalid_request", "call_id"),
            ("get_call", #"{"call_id":"no spaces"}"#, "invalid_request", "call_id"),
            ("get_call", #"{"call_id":"import"}"#, "invalid_request", "call_id"),
            ("get_call", #"{"call_id":"a","extra":1}"#, "invalid_request", "extra"),
            ("get_call", #"{"call_id":7}"#, "invalid_request", "call_id"),
        ]
        for (tool, arguments, code, names) in cases {
            let (status, message) = try reply(
                "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"\(tool)\",\"arguments\":\(arguments)}}")
            #expect(status == 200)
            #expect(message["result"]?["isError"] == true, "\(arguments)")
            let envelope = try toolText(message)
            #expect(envelope["status"] == "error")
            #expect(envelope["error"] == .string(code), "\(arguments)")
            guard case .string(let text)? = envelope["message"] else { continue }
            #expect(text.contains(names), "\(text)")
        }
        // The same message as the REST route gives for the same body.
        let body = #"{"filter_criteria":{"call_status":["ended","bogus"]}}"#
        let rest = try #require(throws: APIError.self) { try ListRequestDecoder.decode(Array(body.utf8)) }
        let viaTool = try toolText(try reply(
            "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"list_calls\",\"arguments\":\(body)}}").message)
        #expect(viaTool == (try JSONReader.parse(Envelope.error(rest))))
    }

    @Test func malformedToolCallsAreInvalidParams() throws {
        for params in [#"{"name":"delete_everything"}"#, #"{"arguments":{}}"#, #"{"name":7}"#,
                       #"{"name":"list_calls","arguments":[1]}"#, #"{"name":"list_calls","arguments":"{}"}"#, "[]", "\"x\""] {
            let (status, message) = try reply("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":\(params)}")
            #expect(status == 200)
            #expect(message["id"] == 5)
            #expect(message["error"]?["code"] == -32602, "\(params)")
        }
        #expect(try reply("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\"}").message["error"]?["code"] == -32602)
    }

    @Test func onlyAllowedOriginsPass() throws {
        func head(_ fields: [(name: String, value: String)]) -> HTTPRequestHead {
            HTTPRequestHead(method: "POST", target: "/mcp", path: "/mcp", query: nil, version: .http1_1,
                            headers: HTTPHeaders(fields), framing: .none, keepAlive: true, expectsContinue: false)
        }
        let none = MCPOrigins([])
        #expect(throws: Never.self) { try none.check(head([])) }
        #expect(throws: APIFailure.self) { try none.check(head([("Origin", "http://127.0.0.1:8080")])) }
        let some = MCPOrigins(["https://App.example"])
        #expect(throws: Never.self) { try some.check(head([("Origin", "https://app.example")])) }
        #expect(throws: APIFailure.self) { try some.check(head([("Origin", "https://app.example.evil")])) }
        #expect(throws: APIFailure.self) { try some.check(head([("Origin", "null")])) }
        #expect(throws: APIFailure.self) { try some.check(head([("Origin", "https://app.example"), ("Origin", "https://app.example")])) }
        let failure = try #require(throws: APIFailure.self) { try none.check(head([("Origin", "https://x.example")])) }
        #expect(failure.error.status == 403 && failure.error.code == "forbidden")
    }

    @Test func originsComeFromFlagsOrTheEnvironment() throws {
        #expect(try ServeOptions.parse([], environment: [:]).mcpOrigins == [])
        let flags = try ServeOptions.parse(["--mcp-origin", "https://a.example", "--mcp-origin", "http://localhost:3000,https://b.example"],
                                           environment: ["CALLSERVER_MCP_ORIGIN": "https://env.example"])
        #expect(flags.mcpOrigins == ["https://a.example", "http://localhost:3000", "https://b.example"])
        let environment = try ServeOptions.parse([], environment: ["CALLSERVER_MCP_ORIGIN": "https://env.example, https://two.example"])
        #expect(environment.mcpOrigins == ["https://env.example", "https://two.example"])
        for bad in ["app.example", "https://app.example/", "https://app.example/path", "", ","] {
            #expect(throws: UsageError.self, "\(bad)") { try ServeOptions.parse(["--mcp-origin", bad], environment: [:]) }
        }
    }
}
