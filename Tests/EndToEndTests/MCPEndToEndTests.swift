import Foundation
import Testing

/// A complete `POST /mcp` request carrying one JSON-RPC message.
func mcpRequest(_ body: String, credential: Credential?, extraHeaders: String = "", contentType: String = "application/json") -> String {
    "POST /mcp HTTP/1.1\r\nHost: localhost\r\nContent-Type: \(contentType)\r\nAccept: application/json, text/event-stream\r\n"
        + (credential?.headers ?? "") + extraHeaders + "Content-Length: \(Array(body.utf8).count)\r\n\r\n" + body
}

/// A `tools/call` message.
func toolCall(_ name: String, _ arguments: String, id: Int = 1) -> String {
    "{\"jsonrpc\":\"2.0\",\"id\":\(id),\"method\":\"tools/call\",\"params\":{\"name\":\"\(name)\",\"arguments\":\(arguments)}}"
}

/// `/mcp` on a live port: the HTTP refusals, the JSON-RPC answers, and tool results equal to the REST routes' `data`.
@Suite struct MCPEndToEndTests {
    private func send(_ request: String) throws -> RawResponse {
        try #require(try Fixture.get().roundTrip(request))
    }

    /// A tool result's `structuredContent`, after checking that its text block holds the same JSON.
    private func structured(_ response: RawResponse) throws -> [String: Any] {
        #expect(response.status == 200)
        let result = try #require(response.json?["result"] as? [String: Any])
        #expect(result["isError"] as? Bool == false)
        let content = try #require(result["structuredContent"] as? [String: Any])
        let blocks = try #require(result["content"] as? [[String: Any]])
        #expect(blocks.count == 1 && blocks[0]["type"] as? String == "text")
        let text = try #require(blocks[0]["text"] as? String)
        let fromText = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(NSDictionary(dictionary: fromText).isEqual(to: content))
        return content
    }

    /// An error result's REST envelope.
    private func errorEnvelope(_ response: RawResponse) throws -> [String: Any] {
        #expect(response.status == 200)
        let result = try #require(response.json?["result"] as? [String: Any])
        #expect(result["isError"] as? Bool == true)
        let text = try #require((result["content"] as? [[String: Any]])?.first?["text"] as? String)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func wholeRequestRefusalsAreHTTPStatusesWithTheRESTEnvelope() throws {
        let fixture = try Fixture.get()
        let ping = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"
        for body in [ping, "not json at all", "[1,2"] {
            let anonymous = try send(mcpRequest(body, credential: nil))
            #expect(anonymous.status == 401)
            #expect(anonymous.json?["error"] as? String == "unauthorized")
            #expect(anonymous.header("WWW-Authenticate") == "ApiKey realm=\"calls\"")
        }
        // The Origin is checked first: a foreign page gets 403 whatever its credentials.
        for credential in [nil, fixture.acmeReader] {
            let foreign = try send(mcpRequest(ping, credential: credential, extraHeaders: "Origin: http://evil.example\r\n"))
            #expect(foreign.status == 403)
            #expect(foreign.json?["error"] as? String == "forbidden")
            #expect((foreign.json?["message"] as? String)?.contains("Origin") == true)
        }
        let writerOnly = try send(mcpRequest(ping, credential: fixture.acmeWriterOnly))
        #expect(writerOnly.status == 403)
        #expect((writerOnly.json?["message"] as? String)?.contains("calls:read") == true)
        let plain = try send(mcpRequest(ping, credential: fixture.acmeReader, contentType: "text/plain"))
        #expect(plain.status == 415)
        #expect(plain.json?["error"] as? String == "unsupported_media_type")

        for method in ["GET", "DELETE"] {
            let response = try send("\(method) /mcp HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\(fixture.acmeReader.headers)\r\n")
            #expect(response.status == 405)
            #expect(response.header("Allow") == "POST")
            #expect(response.json?["error"] as? String == "method_not_allowed")
        }
        let options = try send("OPTIONS /mcp HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(options.status == 204)
        #expect(options.header("Allow") == "POST")
    }

    @Test func messagesGetTheirJSONRPCAnswers() throws {
        let fixture = try Fixture.get()
        let reader = fixture.acmeReader
        let initialize = try send(mcpRequest(
            #"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}"#,
            credential: reader))
        #expect(initialize.status == 200)
        #expect(initialize.header("Content-Type") == "application/json; charset=utf-8")
        #expect(initialize.header("Mcp-Session-Id") == nil)
        let result = try #require(initialize.json?["result"] as? [String: Any])
        #expect(result["protocolVersion"] as? String == "2025-06-18")

        let notification = try send(mcpRequest(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#, credential: reader))
        #expect(notification.status == 202)
        #expect(notification.body.isEmpty)

        let batch = try send(mcpRequest(#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#, credential: reader))
        #expect(batch.status == 400)
        #expect((batch.json?["error"] as? [String: Any])?["code"] as? Int == -32600)

        let malformed = try send(mcpRequest(#"{"jsonrpc":"2.0","id":1,"#, credential: reader))
        #expect(malformed.status == 400)
        #expect((malformed.json?["error"] as? [String: Any])?["code"] as? Int == -32700)

        let unknown = try send(mcpRequest(#"{"jsonrpc":"2.0","id":"u-7","method":"resources/list"}"#, credential: reader))
        #expect(unknown.status == 200)
        #expect(unknown.json?["id"] as? String == "u-7")
        #expect((unknown.json?["error"] as? [String: Any])?["code"] as? Int == -32601)

        // The stateless revision's probe is refused in a way that sends its client back to the handshake.
        let probe = try send(mcpRequest(#"{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{}}"#, credential: reader,
                                        extraHeaders: "MCP-Protocol-Version: 2026-07-28\r\n"))
        #expect(probe.status == 400)
        let error = try #require(probe.json?["error"] as? [String: Any])
        #expect(error["code"] as? Int == -32600)
        #expect((error["data"] as? [String: Any])?["supported"] as? [String] == ["2025-11-25", "2025-06-18"])

        let tools = try send(mcpRequest(#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#, credential: reader,
                                        extraHeaders: "MCP-Protocol-Version: 2025-11-25\r\n"))
        let listed = try #require((tools.json?["result"] as? [String: Any])?["tools"] as? [[String: Any]])
        #expect(listed.map { $0["name"] as? String } == ["list_calls", "get_call", "list_changes"])
        #expect(listed.allSatisfy { ($0["annotations"] as? [String: Any])?["readOnlyHint"] as? Bool == true })
    }

    @Test func listCallsReturnsTheRESTRoutesDataForTheSameBody() throws {
        let fixture = try Fixture.get()
        // The last bodies are costly (transcripts; a body too large to read on the loop): they run on the pool.
        let manyAgents = (0..<900).map { "\"agent-\($0)\"" }.joined(separator: ",")
        let bodies = [
            "{}",
            #"{"limit":7,"page":1,"sort_by":"call_id","sort_order":"asc"}"#,
            #"{"filter_criteria":{"call_status":["ended","ERROR"],"agent_id":["agent-a"]}}"#,
            #"{"filter_criteria":{"duration_ms":{"lower_threshold":5000,"upper_threshold":20000}},"sort_by":"call_duration"}"#,
            #"{"filter_criteria":{"transcript_search":"refund cafe"},"limit":100}"#,
            #"{"include_transcript":true,"limit":5}"#,
            "{\"filter_criteria\":{\"agent_id\":[\(manyAgents),\"agent-b\"]},\"limit\":3}",
        ]
        for body in bodies {
            let rest = try #require(try fixture.roundTrip(listRequest(body, credential: fixture.acmeReader)))
            let restData = try #require(rest.json?["data"] as? [String: Any])
            let content = try structured(try send(mcpRequest(toolCall("list_calls", body), credential: fixture.acmeReader)))
            #expect(NSDictionary(dictionary: content).isEqual(to: restData), "\(body.prefix(100))")
        }
        let other = try structured(try send(mcpRequest(toolCall("list_calls", "{}"), credential: fixture.globexReader)))
        #expect(other["organization_id"] as? String == "org-globex")
    }

    @Test func getCallReturnsTheCallWithItsTranscriptOnlyInTheCallersOrganization() throws {
        let fixture = try Fixture.get()
        let rest = try #require(try fixture.roundTrip(
            "GET /api/calls/acme-3 HTTP/1.1\r\nHost: localhost\r\n\(fixture.acmeReader.headers)\r\n"))
        let restData = try #require(rest.json?["data"] as? [String: Any])
        let call = try structured(try send(mcpRequest(toolCall("get_call", #"{"call_id":"acme-3"}"#), credential: fixture.acmeReader)))
        #expect(NSDictionary(dictionary: call).isEqual(to: restData))
        #expect((call["transcript"] as? String)?.isEmpty == false)

        for (credential, callID) in [(fixture.globexReader, "acme-3"), (fixture.acmeReader, "no-such-call")] {
            let envelope = try errorEnvelope(try send(mcpRequest(toolCall("get_call", "{\"call_id\":\"\(callID)\"}"), credential: credential)))
            #expect(envelope["error"] as? String == "not_found")
            #expect(envelope["status"] as? String == "error")
        }
        let bad = try errorEnvelope(try send(mcpRequest(
            toolCall("list_calls", #"{"filter_criteria":{"call_status":["done"]}}"#), credential: fixture.acmeReader)))
        #expect(bad["error"] as? String == "invalid_request")
        #expect((bad["message"] as? String)?.contains("filter_criteria.call_status[0]") == true)
    }

    @Test func aRefusedSlowListIsAnErrorResultAndAnAllowedOriginPasses() throws {
        // One worker, held (no output budget), one waiting request per key: the third slow list is refused.
        let guarded = try GuardedServer(
            ["--workers", "1", "--output-budget", "0", "--slow-per-key", "1", "--mcp-origin", "https://app.example"])
        let slow = mcpRequest(toolCall("list_calls", #"{"include_transcript":true}"#), credential: guarded.reader)
        let held = try sendOneAfterAnother(slow, times: 2, port: guarded.server.port)
        let refused = try RawConnection(port: guarded.server.port)
        refused.send(slow)
        let envelope = try errorEnvelope(try #require(refused.readResponse()))
        #expect(envelope["error"] as? String == "rate_limited")

        let allowed = try RawConnection(port: guarded.server.port)
        allowed.send(mcpRequest(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#, credential: guarded.reader,
                                extraHeaders: "Origin: https://app.example\r\n"))
        #expect(allowed.readResponse()?.status == 200)
        withExtendedLifetime(held) {}
    }
}
