import Foundation
import Testing

/// Imports against the real server: one per organization at a time (429 with `Retry-After` for a second one, in
/// API.md's order before the body budget), other organizations not held up, and bodies charged to the budget.
@Suite(.serialized) struct ImportLimitsEndToEndTests {
    /// An import body of `count` calls named `prefix-N`.
    private static func body(_ prefix: String, count: Int) -> String {
        (1...count).map { importLine("\(prefix)-\($0)", transcript: "imported") }.joined(separator: "\n")
    }

    /// Starts an import on a connection of its own and sends its head with `Expect: 100-continue` and the first
    /// `sent` bytes of `body`; returns once the server has admitted it (its `100 Continue` is read), so the import is
    /// running and waiting for the rest of its body.
    private static func startImport(_ s: GuardedServer, body: String, sent: Int, credential: Credential) throws -> RawConnection {
        let connection = try RawConnection(port: s.server.port)
        connection.send("POST /api/calls/import HTTP/1.1\r\nHost: x\r\n\(credential.headers)Content-Type: application/x-ndjson\r\n"
            + "Expect: 100-continue\r\nContent-Length: \(body.utf8.count)\r\n\r\n")
        let interim = connection.readResponse(headOnly: true)
        #expect(interim?.status == 100)
        connection.send(Array(Array(body.utf8)[0..<sent]))
        return connection
    }

    private static func importNow(_ s: GuardedServer, _ body: String, credential: Credential) throws -> RawResponse {
        try s.send("POST", "/api/calls/import", body, credential: credential, contentType: "application/x-ndjson")
    }

    @Test func aSecondImportOfTheSameOrganizationIs429WhileOthersGoOn() throws {
        let s = try GuardedServer([])
        let held = Self.body("held", count: 3)
        let connection = try Self.startImport(s, body: held, sent: held.utf8.count / 2, credential: s.writer)

        let refused = try Self.importNow(s, Self.body("second", count: 1), credential: s.writer)
        #expect(refused.status == 429)
        #expect(refused.json?["error"] as? String == "rate_limited")
        #expect(refused.json?["status"] as? String == "error")
        #expect(refused.json?["data"] is NSNull)
        #expect((refused.json?["message"] as? String)?.contains("import") == true)
        #expect(refused.header("Retry-After") == "1")

        // Another organization imports meanwhile.
        let other = try Self.importNow(s, Self.body("other", count: 2), credential: s.otherWriter)
        #expect(other.status == 200)
        #expect((other.json?["data"] as? [String: Any])?["created"] as? Int == 2)

        // The held import completes, and then the organization may import again at once.
        connection.send(Array(Array(held.utf8)[(held.utf8.count / 2)...]))
        let finished = connection.readResponse()
        #expect(finished?.status == 200)
        #expect((finished?.json?["data"] as? [String: Any])?["imported"] as? Int == 3)
        let again = try Self.importNow(s, Self.body("second", count: 1), credential: s.writer)
        #expect(again.status == 200)
        #expect(try s.totalCount(s.reader) == 4)
        // Refused imports are counted with the other 429s of a key.
        let metrics = try s.send("GET", "/metrics", credential: nil)
        #expect(metrics.text.contains(#"callserver_refused_total{reason="rate_limit"} 1"#))
    }

    @Test func anImportWhoseClientLeavesFreesItsOrganization() throws {
        let s = try GuardedServer([])
        let held = Self.body("held", count: 3)
        do {
            // Closed when it goes out of scope, its body unfinished.
            let connection = try Self.startImport(s, body: held, sent: 10, credential: s.writer)
            #expect(try Self.importNow(s, Self.body("second", count: 1), credential: s.writer).status == 429)
            withExtendedLifetime(connection) {}
        }
        // The server lets go of the slot once it sees the connection close: wait for that, not for a fixed time.
        var status = 0
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            status = try Self.importNow(s, Self.body("second", count: 1), credential: s.writer).status
            if status != 429 { break }
            usleep(20_000)
        }
        #expect(status == 200)
        #expect(try s.send("GET", "/api/calls/held-1", credential: s.reader).status == 404)
    }

    @Test func importBodiesAreChargedToTheBodyBudgetAfterTheImportCheck() throws {
        let s = try GuardedServer(["--body-budget", "4096"])
        let held = String(repeating: " ", count: 3000 - 1) + "\n"
        let connection = try Self.startImport(s, body: held, sent: 100, credential: s.writer)
        // The same organization hears that an import runs (429) before the budget is asked.
        let sameOrganization = try Self.importNow(s, String(repeating: "\n", count: 3000), credential: s.writer)
        #expect(sameOrganization.status == 429)
        // Another organization's body does not fit beside the held one's 3,000 bytes: 503 with Retry-After.
        let overBudget = try Self.importNow(s, String(repeating: "\n", count: 3000), credential: s.otherWriter)
        #expect(overBudget.status == 503)
        #expect(overBudget.json?["error"] as? String == "unavailable")
        #expect(overBudget.header("Retry-After") != nil)
        // A body that fits is read.
        #expect(try Self.importNow(s, Self.body("small", count: 1), credential: s.otherWriter).status == 200)

        connection.send(Array(Array(held.utf8)[100...]))
        let finished = connection.readResponse()
        #expect(finished?.status == 200)
        #expect((finished?.json?["data"] as? [String: Any])?["lines"] as? Int == 1)
        // The held body's bytes are given back once it is answered.
        #expect(try Self.importNow(s, String(repeating: "\n", count: 3000), credential: s.otherWriter).status == 200)
    }
}
