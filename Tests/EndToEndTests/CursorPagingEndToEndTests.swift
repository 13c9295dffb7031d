import Foundation
import Synchronization
import Testing

/// Paging by cursor against the real server: complete and in order while another client writes into the middle
/// of the order, valid across a restart, and refused when forged, foreign or used with another query.
@Suite(.serialized) struct CursorPagingEndToEndTests {
    /// An ended call starting at `start` (ms), so it matches the `ended` filter.
    private func ended(_ callID: String, start: Int) -> String {
        #"{"call_id":"\#(callID)","agent_id":"a1","call_status":"ended","call_type":"PHONE_CALL","direction":"inbound","from_number":null,"to_number":null,"start_timestamp":\#(start),"end_timestamp":\#(start + 5000)}"#
    }

    private func ongoing(_ callID: String, start: Int) -> String {
        #"{"call_id":"\#(callID)","agent_id":"a1","call_status":"ongoing","call_type":"PHONE_CALL","direction":"inbound","from_number":null,"to_number":null,"start_timestamp":\#(start)}"#
    }

    private static let endedAscending = #""sort_by":"start_timestamp","sort_order":"ascending","filter_criteria":{"call_status":["ENDED"]}"#

    /// The `data` object of a 200 list answer.
    private func data(_ response: RawResponse) throws -> [String: Any] {
        #expect(response.status == 200, "\(response.text)")
        return try #require(response.json?["data"] as? [String: Any])
    }

    private func page(_ s: GuardedServer, cursor: String?, limit: Int = 7, query: String = CursorPagingEndToEndTests.endedAscending) throws -> RawResponse {
        let continuation = cursor.map { #","cursor":"\#($0)""# } ?? ""
        return try s.send("POST", "/api/calls", #"{"limit":\#(limit),\#(query)\#(continuation)}"#, credential: s.reader)
    }

    private func seed(_ s: GuardedServer, count: Int) throws {
        let lines = (0..<count).map { index in
            index % 3 == 2 ? ongoing("seed-\(index)", start: index * 1000) : ended("seed-\(index)", start: index * 1000)
        }
        let imported = try s.send("POST", "/api/calls/import", lines.joined(separator: "\n"), credential: s.writer, contentType: "application/x-ndjson")
        #expect(imported.status == 200, "\(imported.text)")
    }

    @Test func pagingByCursorWhileAnotherClientInsertsListsEveryCallOnceInOrder() throws {
        let s = try GuardedServer([])
        try seed(s, count: 150)
        let before = try data(page(s, cursor: nil, limit: 100))
        #expect((before["pagination"] as? [String: Any])?["total_count"] as? Int == 100)

        // Another client writes ended calls between the seeded ones (and some ongoing ones) while we page.
        let progress = WriterProgress()
        let port = s.server.port
        let headers = s.writer.headers
        let lines = (0..<400).map { index in
            let start = (index * 7919) % 150_000 + 500
            return index % 4 == 3 ? ongoing("new-\(index)", start: start) : ended("new-\(index)", start: start)
        }
        let writer = Thread {
            for line in lines where progress.writing.load(ordering: .relaxed) {
                guard let connection = try? RawConnection(port: port) else { continue }
                connection.send("POST /api/calls/import HTTP/1.1\r\nHost: x\r\n\(headers)Content-Type: application/x-ndjson\r\n"
                    + "Content-Length: \(line.utf8.count)\r\n\r\n\(line)")
                if connection.readResponse()?.status == 200 { progress.inserted.add(1, ordering: .relaxed) }
            }
        }
        writer.start()
        var listed: [(start: Int, id: String, callID: String)] = []
        var cursor: String?
        var pages = 0
        repeat {
            let answer = try data(page(s, cursor: cursor))
            let calls = try #require(answer["calls"] as? [[String: Any]])
            listed += calls.compactMap { call -> (start: Int, id: String, callID: String)? in
                guard let start = call["start_timestamp"] as? Int, let id = call["id"] as? String, let callID = call["call_id"] as? String
                else { return nil }
                return (start, id, callID)
            }
            let pagination = try #require(answer["pagination"] as? [String: Any])
            cursor = pagination["next_cursor"] as? String
            #expect(pagination["has_next_page"] as? Bool == (cursor != nil))
            pages += 1
            // Let the writer land something before the next page, so writes fall between every two pages.
            let written = progress.inserted.load(ordering: .relaxed)
            let deadline = Date().addingTimeInterval(2)
            while progress.inserted.load(ordering: .relaxed) == written, !writer.isFinished, Date() < deadline { usleep(1_000) }
        } while cursor != nil && pages < 500
        progress.writing.store(false, ordering: .relaxed)
        while !writer.isFinished { usleep(10_000) }

        #expect(progress.inserted.load(ordering: .relaxed) > 0)
        // Every seeded ended call once; nothing twice; in (start, id) order.
        let seeded = Set((0..<150).filter { $0 % 3 != 2 }.map { "seed-\($0)" })
        #expect(seeded.isSubset(of: Set(listed.map(\.callID))))
        #expect(Set(listed.map(\.id)).count == listed.count)
        #expect(zip(listed, listed.dropFirst()).allSatisfy { $0.start < $1.start || ($0.start == $1.start && $0.id < $1.id) })
    }

    @Test func aCursorSurvivesARestartAndOnlyThisServerAcceptsIt() throws {
        let s = try GuardedServer([])
        try seed(s, count: 30)
        let first = try data(page(s, cursor: nil))
        let cursor = try #require((first["pagination"] as? [String: Any])?["next_cursor"] as? String)
        let continued = try data(page(s, cursor: cursor))
        try s.restart()
        let afterRestart = try data(page(s, cursor: cursor))
        #expect((afterRestart["calls"] as? [[String: Any]])?.map { $0["call_id"] as? String } == (continued["calls"] as? [[String: Any]])?.map { $0["call_id"] as? String })
        let pagination = try #require(afterRestart["pagination"] as? [String: Any])
        #expect(pagination["page"] as? Int == 1)
        #expect(pagination["has_previous_page"] as? Bool == true)

        let elsewhere = try GuardedServer([])
        try seed(elsewhere, count: 30)
        try expectCursorRefused(page(elsewhere, cursor: cursor))
    }

    @Test func forgedForeignAndMismatchedCursorsAre400NamingCursor() throws {
        let s = try GuardedServer([])
        try seed(s, count: 30)
        try #require(try s.send("PUT", "/api/calls/h-1", callBody(transcript: "x"), credential: s.otherWriter).status == 201)
        let first = try data(page(s, cursor: nil))
        let cursor = try #require((first["pagination"] as? [String: Any])?["next_cursor"] as? String)
        let flipped = String(cursor.dropLast()) + (cursor.hasSuffix("A") ? "Q" : "A")
        try expectCursorRefused(page(s, cursor: flipped))
        try expectCursorRefused(page(s, cursor: "bm90LWEtY3Vyc29y"))
        try expectCursorRefused(page(s, cursor: cursor, query: #""sort_by":"start_timestamp","sort_order":"descending","filter_criteria":{"call_status":["ENDED"]}"#))
        try expectCursorRefused(page(s, cursor: cursor, query: #""sort_by":"start_timestamp","sort_order":"ascending""#))
        try expectCursorRefused(s.send("POST", "/api/calls", #"{"cursor":"\#(cursor)","page":0,\#(Self.endedAscending)}"#, credential: s.reader))
        // Another organization's key holds no such list.
        try expectCursorRefused(s.send("POST", "/api/calls", #"{"cursor":"\#(cursor)",\#(Self.endedAscending)}"#, credential: s.otherWriter))
        // A limit of its own and `"page": null` keep it.
        let wider = try data(s.send("POST", "/api/calls", #"{"cursor":"\#(cursor)","page":null,"limit":50,\#(Self.endedAscending)}"#, credential: s.reader))
        #expect((wider["calls"] as? [[String: Any]])?.count == 13)
        #expect((wider["pagination"] as? [String: Any])?["next_cursor"] is NSNull)
    }

    private func expectCursorRefused(_ response: RawResponse, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == 400, sourceLocation: sourceLocation)
        #expect(response.json?["error"] as? String == "invalid_request", sourceLocation: sourceLocation)
        #expect((response.json?["message"] as? String)?.hasPrefix("cursor ") == true, "\(response.text)", sourceLocation: sourceLocation)
    }
}

/// What the concurrent writer shares with the test: whether to go on, and how many writes succeeded.
private final class WriterProgress: Sendable {
    let writing = Atomic<Bool>(true)
    let inserted = Atomic<Int>(0)
}
