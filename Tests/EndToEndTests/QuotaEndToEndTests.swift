import Dispatch
import Foundation
import Locking
import Testing

/// `--max-calls-per-org` against the real server.
@Suite(.serialized) struct QuotaEndToEndTests {
    @Test func aCreatePastTheQuotaIs507AndReplacesPatchesAndDeletesStillWork() throws {
        let s = try GuardedServer(["--max-calls-per-org", "3"])
        for index in 1...3 { #expect(try s.put("c-\(index)").status == 201) }
        let refused = try s.put("c-4")
        #expect(refused.status == 507)
        #expect(refused.json?["error"] as? String == "quota_exceeded")
        #expect(refused.json?["data"] is NSNull)
        #expect(try s.send("GET", "/api/calls/c-4", credential: s.reader).status == 404)

        #expect(try s.put("c-1", transcript: "replaced").status == 200)
        let patched = try s.send("PATCH", "/api/calls/c-2", #"{"call_status":"ENDED","end_timestamp":5000}"#, credential: s.writer)
        #expect(patched.status == 200)
        // Another organization has a quota of its own.
        #expect(try s.put("h-1", credential: s.otherWriter).status == 201)

        #expect(try s.send("DELETE", "/api/calls/c-3", credential: s.writer).status == 200)
        #expect(try s.put("c-4").status == 201)
        #expect(try s.put("c-5").status == 507)
        #expect(try s.totalCount(s.reader) == 3)

        // The count survives a restart: it comes from the recovered store.
        try s.restart()
        #expect(try s.put("c-6").status == 507)
        #expect(try s.put("c-4", transcript: "again").status == 200)
    }

    @Test func anImportPastTheQuotaChangesNothing() throws {
        let s = try GuardedServer(["--max-calls-per-org", "3"])
        #expect(try s.put("c-1", transcript: "original").status == 201)
        #expect(try s.put("c-2").status == 201)
        // One replace and two new calls: 2 + 2 > 3.
        let tooMany = [importLine("c-1", transcript: "imported"), importLine("n-1", transcript: "x"), importLine("n-2", transcript: "x")]
        let refused = try s.send("POST", "/api/calls/import", tooMany.joined(separator: "\n"), credential: s.writer,
                                 contentType: "application/x-ndjson")
        #expect(refused.status == 507)
        #expect(refused.json?["error"] as? String == "quota_exceeded")
        let kept = try s.send("GET", "/api/calls/c-1", credential: s.reader)
        #expect((kept.json?["data"] as? [String: Any])?["transcript"] as? String == "original")
        #expect(try s.send("GET", "/api/calls/n-1", credential: s.reader).status == 404)
        #expect(try s.totalCount(s.reader) == 2)

        // Exactly up to the quota is allowed.
        let fits = [importLine("c-1", transcript: "imported"), importLine("n-1", transcript: "x")]
        let imported = try s.send("POST", "/api/calls/import", fits.joined(separator: "\n"), credential: s.writer,
                                  contentType: "application/x-ndjson")
        #expect(imported.status == 200)
        let data = try #require(imported.json?["data"] as? [String: Any])
        #expect(data["created"] as? Int == 1)
        #expect(data["replaced"] as? Int == 1)
        #expect(try s.totalCount(s.reader) == 3)
    }

    @Test func concurrentCreatesNeverPassTheQuota() throws {
        let quota = 10
        let s = try GuardedServer(["--max-calls-per-org", "\(quota)"])
        let port = s.server.port
        let writer = s.writer
        let statuses = Locked<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 40) { index in
            let status: Int
            do {
                let connection = try RawConnection(port: port)
                let body = callBody(transcript: "race \(index)")
                connection.send("PUT /api/calls/race-\(index) HTTP/1.1\r\nHost: x\r\n\(writer.headers)"
                    + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
                status = connection.readResponse()?.status ?? 0
            } catch {
                status = 0
            }
            statuses.withLock { $0.append(status) }
        }
        let all = statuses.withLock { $0 }
        #expect(all.filter { $0 == 201 }.count == quota)
        #expect(all.filter { $0 == 507 }.count == 40 - quota)
        #expect(try s.totalCount(s.reader) == quota)
    }
}
