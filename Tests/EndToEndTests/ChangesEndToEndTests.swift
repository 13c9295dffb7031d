import Foundation
import Testing

/// `POST /api/calls/changes` against the real server: a copy that replays the feed equals the organization's calls
/// after any mix of writes, a SIGKILL and a clean restart; tokens are refused when foreign (400) and expired when
/// their history is gone (410: deletions past the retention, a data directory restored from a backup).
@Suite(.serialized) struct ChangesEndToEndTests {
    /// A client's copy: calls by `id` (as the feed gives them), and its `since`.
    private struct Copy {
        var calls: [String: [String: Any]] = [:]
        var since: String?

        /// Applies pages until `has_more` is false; returns every change applied.
        mutating func sync(_ s: GuardedServer, credential: Credential, limit: Int = 7) throws -> [[String: Any]] {
            var applied: [[String: Any]] = []
            while true {
                let sinceJSON = since.map { #""\#($0)""# } ?? "null"
                let response = try s.send("POST", "/api/calls/changes", #"{"since":\#(sinceJSON),"limit":\#(limit)}"#, credential: credential)
                #expect(response.status == 200, "\(response.text)")
                let data = try #require(response.json?["data"] as? [String: Any])
                let changes = try #require(data["changes"] as? [[String: Any]])
                #expect(changes.count <= limit)
                for change in changes {
                    switch change["type"] as? String {
                    case "upsert":
                        let call = try #require(change["call"] as? [String: Any])
                        calls[try #require(call["id"] as? String)] = call
                    case "delete":
                        calls[try #require(change["id"] as? String)] = nil
                        #expect(change["call_id"] is String && change["updated_timestamp"] is Int)
                    default:
                        Issue.record("unknown change \(change)")
                    }
                }
                applied += changes
                since = try #require(data["next_since"] as? String)
                if data["has_more"] as? Bool == false { return applied }
            }
        }
    }

    /// Every call of the credential's organization as the list route gives it, by `id`.
    private func listed(_ s: GuardedServer, _ credential: Credential) throws -> [String: [String: Any]] {
        var calls: [String: [String: Any]] = [:]
        var cursor: String?
        repeat {
            let continuation = cursor.map { #","cursor":"\#($0)""# } ?? ""
            let response = try s.send("POST", "/api/calls", #"{"limit":100\#(continuation)}"#, credential: credential)
            let data = try #require(response.json?["data"] as? [String: Any])
            for call in try #require(data["calls"] as? [[String: Any]]) { calls[try #require(call["id"] as? String)] = call }
            cursor = (data["pagination"] as? [String: Any])?["next_cursor"] as? String
        } while cursor != nil
        return calls
    }

    private func expectEqual(_ copy: Copy, _ calls: [String: [String: Any]], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(Set(copy.calls.keys) == Set(calls.keys), sourceLocation: sourceLocation)
        for (id, call) in calls {
            #expect(copy.calls[id].map { NSDictionary(dictionary: $0) } == NSDictionary(dictionary: call), "\(id)", sourceLocation: sourceLocation)
        }
    }

    private func body(_ index: Int, ended: Bool) -> String {
        ended
            ? #"{"agent_id":"a\#(index % 5)","call_status":"ENDED","call_type":"PHONE_CALL","direction":"inbound","from_number":null,"to_number":null,"start_timestamp":\#(index * 1000),"end_timestamp":\#(index * 1000 + 500),"transcript":"version \#(index)"}"#
            : #"{"agent_id":"a\#(index % 5)","call_status":"ongoing","call_type":"WEB_CALL","direction":"outbound","from_number":null,"to_number":null,"start_timestamp":\#(index * 1000)}"#
    }

    @Test func replayingTheFeedGivesExactlyTheCallsThroughWritesAndRestarts() throws {
        let s = try GuardedServer([])
        var copy = Copy()
        var other = Copy()
        var generator = SystemRandomNumberGenerator()
        var existing: [String] = []
        var next = 0
        func randomWrites(_ count: Int) throws {
            for _ in 0..<count {
                let choice = Int.random(in: 0..<10, using: &generator)
                next += 1
                if choice < 3 || existing.isEmpty {
                    let callID = "c-\(next)"
                    #expect(try s.send("PUT", "/api/calls/\(callID)", body(next, ended: Bool.random(using: &generator)), credential: s.writer).status == 201)
                    existing.append(callID)
                } else if choice < 5, let callID = existing.randomElement(using: &generator) {
                    #expect(try s.send("PUT", "/api/calls/\(callID)", body(next, ended: true), credential: s.writer).status == 200)
                } else if choice < 6, let callID = existing.randomElement(using: &generator) {
                    #expect(try s.send("PATCH", "/api/calls/\(callID)", #"{"agent_id":"patched-\#(next)"}"#, credential: s.writer).status == 200)
                } else if choice < 8, let index = existing.indices.randomElement(using: &generator) {
                    let callID = existing.remove(at: index)
                    #expect(try s.send("DELETE", "/api/calls/\(callID)", credential: s.writer).status == 200)
                    // Sometimes the call_id comes back at once, as a new call (a new id).
                    if Bool.random(using: &generator) {
                        #expect(try s.send("PUT", "/api/calls/\(callID)", body(next, ended: false), credential: s.writer).status == 201)
                        existing.append(callID)
                    }
                } else {
                    let lines = (0..<3).map { offset -> String in
                        let callID = offset == 0 ? (existing.randomElement(using: &generator) ?? "i-\(next)") : "i-\(next)-\(offset)"
                        if !existing.contains(callID) { existing.append(callID) }
                        return #"{"call_id":"\#(callID)","# + body(next + offset, ended: true).dropFirst()
                    }
                    let imported = try s.send("POST", "/api/calls/import", lines.joined(separator: "\n"), credential: s.writer, contentType: "application/x-ndjson")
                    #expect(imported.status == 200, "\(imported.text)")
                }
                if choice == 9 {
                    #expect(try s.send("PUT", "/api/calls/h-\(next)", body(next, ended: false), credential: s.otherWriter).status == 201)
                }
            }
        }
        try randomWrites(60)
        _ = try copy.sync(s, credential: s.reader)
        expectEqual(copy, try listed(s, s.reader))
        try randomWrites(60)
        try s.killAndRestart()
        // The copy's token, issued before the kill, continues after it.
        _ = try copy.sync(s, credential: s.reader, limit: 3)
        expectEqual(copy, try listed(s, s.reader))
        try randomWrites(60)
        try s.restart()
        try randomWrites(30)
        let last = try copy.sync(s, credential: s.reader, limit: 1000)
        expectEqual(copy, try listed(s, s.reader))
        // Within one catch-up with no writes between pages, each call appears once.
        let ids = last.compactMap { ($0["call"] as? [String: Any])?["id"] as? String ?? $0["id"] as? String }
        #expect(Set(ids).count == ids.count)
        // Nothing new: an empty answer that stays where it is.
        let quiet = try copy.sync(s, credential: s.reader)
        #expect(quiet.isEmpty)
        // The other organization's feed holds its own calls only, and a fresh copy from null is every call once.
        _ = try other.sync(s, credential: s.otherWriter, limit: 1000)
        expectEqual(other, try listed(s, s.otherWriter))
        var fresh = Copy()
        let all = try fresh.sync(s, credential: s.reader, limit: 1000)
        let current = try listed(s, s.reader)
        // Every current call once, as an upsert (the deletions kept come as well, and change nothing in a new copy).
        let upserted = all.compactMap { ($0["call"] as? [String: Any])?["id"] as? String }
        #expect(upserted.count == current.count && Set(upserted) == Set(current.keys))
        expectEqual(fresh, current)
    }

    @Test func foreignAndMalformedTokensAre400NamingSince() throws {
        let s = try GuardedServer([])
        #expect(try s.put("g-1").status == 201)
        #expect(try s.put("h-1", credential: s.otherWriter).status == 201)
        var theirs = Copy()
        _ = try theirs.sync(s, credential: s.otherWriter)
        let token = try #require(theirs.since)
        for since in [#""\#(token)""#, #""bm90LWEtdG9rZW4""#, #""\#(String(repeating: "A", count: 44))""#, "5"] {
            let response = try s.send("POST", "/api/calls/changes", #"{"since":\#(since)}"#, credential: s.reader)
            #expect(response.status == 400, "\(since)")
            #expect(response.json?["error"] as? String == "invalid_request")
            #expect((response.json?["message"] as? String)?.contains("since") == true)
        }
        for body in [#"{"limit":0}"#, #"{"limit":1001}"#, #"{"include_transcript":true,"limit":500}"#, #"{"sinse":null}"#] {
            #expect(try s.send("POST", "/api/calls/changes", body, credential: s.reader).status == 400, "\(body)")
        }
        #expect(try s.send("POST", "/api/calls/changes", "{}", credential: nil).status == 401)
        #expect(try s.send("GET", "/api/calls/changes", credential: s.reader).status == 405)
        // `changes` is a route, never a call_id: PUT reaches the route (405), an import line naming it is refused.
        #expect(try s.put("changes").status == 405)
        let imported = try s.send("POST", "/api/calls/import", importLine("changes", transcript: "x"), credential: s.writer, contentType: "application/x-ndjson")
        #expect(imported.status == 400 && imported.text.contains("reserved"), "\(imported.text)")
        // An empty body is every default.
        #expect(try s.send("POST", "/api/calls/changes", "", credential: s.reader).status == 200)
    }

    @Test func tokensFromBeforeDroppedDeletionsExpire() throws {
        let s = try GuardedServer(["--changes-retention", "1s"])
        #expect(try s.put("g-1").status == 201)
        #expect(try s.put("g-2").status == 201)
        var copy = Copy()
        _ = try copy.sync(s, credential: s.reader)
        let beforeDeletion = try #require(copy.since)
        #expect(try s.send("DELETE", "/api/calls/g-1", credential: s.writer).status == 200)
        _ = try copy.sync(s, credential: s.reader)
        usleep(1_500_000)
        // The next write drops the deletion, now past the retention.
        #expect(try s.put("g-3").status == 201)
        let expired = try s.send("POST", "/api/calls/changes", #"{"since":"\#(beforeDeletion)"}"#, credential: s.reader)
        #expect(expired.status == 410, "\(expired.text)")
        #expect(expired.json?["error"] as? String == "cursor_expired")
        // A copy that saw the deletion goes on.
        let changes = try copy.sync(s, credential: s.reader)
        #expect(changes.count == 1)
        expectEqual(copy, try listed(s, s.reader))
    }

    @Test func tokensFromAHistoryARestoredBackupNeverHadExpire() throws {
        let s = try GuardedServer([])
        #expect(try s.put("g-1").status == 201)
        var early = Copy()
        _ = try early.sync(s, credential: s.reader)
        try s.restart()
        // The backup: the data directory as it is now, while the server is stopped.
        #expect(s.server.stop() == 0)
        let data = s.directory.appendingPathComponent("data")
        let backup = s.directory.appendingPathComponent("backup")
        try FileManager.default.copyItem(at: data, to: backup)
        try s.restart()
        #expect(try s.put("g-2").status == 201)
        var late = Copy()
        _ = try late.sync(s, credential: s.reader)
        #expect(s.server.stop() == 0)
        try FileManager.default.removeItem(at: data)
        try FileManager.default.moveItem(at: backup, to: data)
        try s.restart()
        // Written again after the restore, so the restored history is as long as the lost one.
        #expect(try s.put("g-3").status == 201)
        let lost = try s.send("POST", "/api/calls/changes", #"{"since":"\#(try #require(late.since))"}"#, credential: s.reader)
        #expect(lost.status == 410, "\(lost.text)")
        // A token from before the backup is still good: that history is this one.
        let changes = try early.sync(s, credential: s.reader)
        #expect(changes.count == 1)
        expectEqual(early, try listed(s, s.reader))
    }

    @Test func aStartWithoutWritesRecordsItsEpochButRewritesNoSnapshot() throws {
        let s = try GuardedServer([])
        #expect(try s.put("g-1").status == 201)
        var copy = Copy()
        _ = try copy.sync(s, credential: s.reader)
        try s.restart()
        let snapshot = s.directory.appendingPathComponent("data/snapshot").path
        let written = try FileManager.default.attributesOfItem(atPath: snapshot)[.modificationDate] as? Date
        try s.restart()
        try s.restart()
        #expect(try FileManager.default.attributesOfItem(atPath: snapshot)[.modificationDate] as? Date == written)
        // The epochs those starts journaled still tell this history from another: the token goes on.
        #expect(try s.put("g-2").status == 201)
        #expect(try copy.sync(s, credential: s.reader).count == 1)
        expectEqual(copy, try listed(s, s.reader))
    }
}
