import Foundation
import Testing

/// A server of its own (writes would disturb the shared fixture's exact counts).
private final class WriteServer {
    let directory: URL
    let writer: Credential
    let reader: Credential
    let other: Credential
    var server: ServerProcess

    init() throws {
        directory = try ServerProcess.makeDirectory()
        writer = try createKey(org: "org-w", scopes: ["calls:read", "calls:write"], in: directory)
        reader = try createKey(org: "org-w", scopes: ["calls:read"], in: directory)
        other = try createKey(org: "org-other", scopes: ["calls:read", "calls:write"], in: directory)
        server = try ServerProcess(directory: directory, arguments: ["--keys", "keys.json", "--quiet"])
    }

    func restart() throws {
        #expect(server.stop() == 0)
        server = try ServerProcess(directory: directory, arguments: ["--keys", "keys.json", "--quiet"])
    }

    func send(_ method: String, _ path: String, _ body: String = "", credential: Credential,
              contentType: String = "application/json", extra: String = "") throws -> RawResponse {
        let connection = try RawConnection(port: server.port)
        let length = body.utf8.count
        connection.send("\(method) \(path) HTTP/1.1\r\nHost: x\r\n\(credential.headers)Content-Type: \(contentType)\r\n\(extra)Content-Length: \(length)\r\n\r\n\(body)")
        guard let response = connection.readResponse() else { throw POSIXError(.ECONNRESET) }
        return response
    }
}

private let ongoing = #"{"agent_id":"a1","call_status":"ongoing","call_type":"PHONE_CALL","direction":"inbound","from_number":"+15551234567","to_number":null,"start_timestamp":1000,"transcript":"first words","metadata":{"k":"v"}}"#

@Suite(.serialized) struct WriteRoutesTests {
    @Test func putCreatesThenReplacesKeepingTheID() throws {
        let s = try WriteServer()
        let created = try s.send("PUT", "/api/calls/c-1", ongoing, credential: s.writer)
        #expect(created.status == 201)
        #expect(created.header("Location") == "/api/calls/c-1")
        let etag = try #require(created.header("ETag"))
        let data = try #require(created.json?["data"] as? [String: Any])
        #expect(data["organization_id"] as? String == "org-w")
        #expect(data["call_status"] as? String == "ONGOING")
        let id = try #require(data["id"] as? String)

        let got = try s.send("GET", "/api/calls/c-1", credential: s.reader)
        #expect(got.status == 200)
        #expect(got.header("ETag") == etag)
        #expect((got.json?["data"] as? [String: Any])?["transcript"] as? String == "first words")

        let replaced = try s.send("PUT", "/api/calls/c-1", ongoing.replacingOccurrences(of: "first words", with: "second"), credential: s.writer)
        #expect(replaced.status == 200)
        #expect((replaced.json?["data"] as? [String: Any])?["id"] as? String == id)
        #expect(replaced.header("ETag") != etag)
    }

    @Test func patchEndsACallAndIfMatchGuardsIt() throws {
        let s = try WriteServer()
        let created = try s.send("PUT", "/api/calls/c-2", ongoing, credential: s.writer)
        let etag = try #require(created.header("ETag"))
        let stale = try s.send("PATCH", "/api/calls/c-2", #"{"call_status":"ENDED","end_timestamp":61000}"#,
                               credential: s.writer, extra: "If-Match: \"stale\"\r\n")
        #expect(stale.status == 412)
        #expect(stale.json?["error"] as? String == "precondition_failed")
        let patched = try s.send("PATCH", "/api/calls/c-2", #"{"call_status":"ENDED","end_timestamp":61000}"#,
                                 credential: s.writer, extra: "If-Match: \(etag)\r\n")
        #expect(patched.status == 200)
        let data = try #require(patched.json?["data"] as? [String: Any])
        #expect(data["call_duration"] as? Int == 60000)
        #expect(data["call_status"] as? String == "ENDED")
        let invalid = try s.send("PATCH", "/api/calls/c-2", #"{"end_timestamp":10}"#, credential: s.writer)
        #expect(invalid.status == 400)
        #expect((invalid.json?["message"] as? String)?.contains("end_timestamp") == true)
    }

    @Test func deleteReturnsTheCallThenItIsGone() throws {
        let s = try WriteServer()
        _ = try s.send("PUT", "/api/calls/c-3", ongoing, credential: s.writer)
        let deleted = try s.send("DELETE", "/api/calls/c-3", credential: s.writer)
        #expect(deleted.status == 200)
        #expect((deleted.json?["data"] as? [String: Any])?["call_id"] as? String == "c-3")
        #expect(try s.send("GET", "/api/calls/c-3", credential: s.writer).status == 404)
        #expect(try s.send("DELETE", "/api/calls/c-3", credential: s.writer).status == 404)
    }

    @Test func scopesTenancyAndPathRules() throws {
        let s = try WriteServer()
        _ = try s.send("PUT", "/api/calls/c-4", ongoing, credential: s.writer)
        #expect(try s.send("PUT", "/api/calls/c-5", ongoing, credential: s.reader).status == 403)
        #expect(try s.send("GET", "/api/calls/c-4", credential: s.other).status == 404)
        #expect(try s.send("DELETE", "/api/calls/c-4", credential: s.other).status == 404)
        let badPath = try s.send("GET", "/api/calls/bad%20id", credential: s.reader)
        #expect(badPath.status == 400)
        #expect((badPath.json?["message"] as? String)?.contains("call_id") == true)
        let withID = try s.send("PUT", "/api/calls/c-6", ongoing.replacingOccurrences(of: "{", with: #"{"id":"x","#), credential: s.writer)
        #expect(withID.status == 400)
        #expect(try s.send("PUT", "/api/calls/c-7", ongoing, credential: s.writer, contentType: "text/plain").status == 415)
    }

    @Test func importIsAllOrNothingAndNamesTheBadLine() throws {
        let s = try WriteServer()
        let line = { (id: String) in ongoing.replacingOccurrences(of: "{", with: "{\"call_id\":\"\(id)\",") }
        let bad = [line("i-1"), "", line("i-2").replacingOccurrences(of: "+15551234567", with: "555")].joined(separator: "\n")
        let rejected = try s.send("POST", "/api/calls/import", bad, credential: s.writer, contentType: "application/x-ndjson")
        #expect(rejected.status == 400)
        #expect((rejected.json?["message"] as? String)?.contains("line 3") == true)
        #expect(try s.send("GET", "/api/calls/i-1", credential: s.writer).status == 404)

        let duplicate = [line("i-1"), line("i-1")].joined(separator: "\n")
        let dup = try s.send("POST", "/api/calls/import", duplicate, credential: s.writer, contentType: "application/x-ndjson")
        #expect(dup.status == 400)
        #expect((dup.json?["message"] as? String)?.contains("line 2") == true)

        let good = [line("i-1"), "", line("i-2")].joined(separator: "\n") + "\n"
        let imported = try s.send("POST", "/api/calls/import", good, credential: s.writer, contentType: "application/x-ndjson")
        #expect(imported.status == 200)
        #expect((imported.json?["data"] as? [String: Any])?["imported"] as? Int == 2)
        #expect(try s.send("GET", "/api/calls/i-2", credential: s.writer).status == 200)
        #expect(try s.send("POST", "/api/calls/import", good, credential: s.writer).status == 415)
    }

    @Test func writesAreListedAtOnceAndSurviveARestart() throws {
        let s = try WriteServer()
        for index in 0..<5 {
            #expect(try s.send("PUT", "/api/calls/r-\(index)", ongoing, credential: s.writer).status == 201)
        }
        _ = try s.send("DELETE", "/api/calls/r-0", credential: s.writer)
        let listed = try s.send("POST", "/api/calls", "{}", credential: s.reader)
        #expect(((listed.json?["data"] as? [String: Any])?["pagination"] as? [String: Any])?["total_count"] as? Int == 4)
        let before = try s.send("GET", "/api/calls/r-3", credential: s.reader)
        try s.restart()
        let after = try s.send("GET", "/api/calls/r-3", credential: s.reader)
        #expect(after.status == 200)
        #expect(after.text == before.text)
        #expect(try s.send("GET", "/api/calls/r-0", credential: s.reader).status == 404)
        let relisted = try s.send("POST", "/api/calls", "{}", credential: s.reader)
        #expect(((relisted.json?["data"] as? [String: Any])?["pagination"] as? [String: Any])?["total_count"] as? Int == 4)
    }

    @Test func aSecondServerOnTheSameDataDirRefusesToStart() throws {
        let s = try WriteServer()
        let result = try runCallServer(["--port", "0", "--keys", "keys.json"], in: s.directory)
        #expect(result.status != 0)
        #expect(result.stderr.lowercased().contains("lock"), "\(result.stderr)")
    }
}
