import Foundation
import Testing

private let ongoingCall = #"{"agent_id":"a1","call_status":"ongoing","call_type":"PHONE_CALL","direction":"inbound","from_number":null,"to_number":null,"start_timestamp":1000,"transcript":"first words"}"#

/// `updated_timestamp` over a live port, with the write path's clock in the test's hands: set by every write that
/// changes a call, kept (with the ETag) by one that does not, never lower than before even when the clock goes
/// back, refused in write bodies, and kept across a restart.
@Suite(.serialized) struct UpdatedTimestampTests {
    private static let start: Int64 = 1_800_000_000_000

    private func data(_ response: RawResponse) throws -> [String: Any] {
        try #require(response.json?["data"] as? [String: Any], "\(response.status): \(response.json ?? [:])")
    }

    private func updated(_ response: RawResponse) throws -> Int64? {
        (try data(response)["updated_timestamp"] as? NSNumber)?.int64Value
    }

    @Test func writesStampTheCallAndNoOpsKeepItWithTheETag() throws {
        let clock = InProcessServer.ManualClock(Self.start)
        let server = try InProcessServer(clock: clock.serverClock)
        defer { server.stop() }

        let created = try server.send("PUT", "/api/calls/c-1", ongoingCall)
        #expect(created.status == 201)
        #expect(try updated(created) == Self.start)
        let tag = try #require(created.header("ETag"))

        clock.set(Self.start + 5_000)
        let samePut = try server.send("PUT", "/api/calls/c-1", ongoingCall)
        #expect(samePut.status == 200)
        #expect(try updated(samePut) == Self.start)
        #expect(samePut.header("ETag") == tag)
        let samePatch = try server.send("PATCH", "/api/calls/c-1", #"{"agent_id":"a1","transcript":"first words"}"#)
        #expect(samePatch.status == 200)
        #expect(try updated(samePatch) == Self.start)
        #expect(samePatch.header("ETag") == tag)

        let changed = try server.send("PATCH", "/api/calls/c-1", #"{"transcript":"second words"}"#)
        #expect(try updated(changed) == Self.start + 5_000)
        #expect(changed.header("ETag") != tag)

        // The clock steps back a minute, then stands still: the stamp never goes below what it was.
        clock.set(Self.start - 60_000)
        let afterStepBack = try server.send("PATCH", "/api/calls/c-1", #"{"transcript":"third words"}"#)
        #expect(afterStepBack.status == 200)
        #expect(try updated(afterStepBack) == Self.start + 5_000)
        let stillStanding = try server.send("PUT", "/api/calls/c-1", ongoingCall)
        #expect(try updated(stillStanding) == Self.start + 5_000)
        let read = try server.send("GET", "/api/calls/c-1")
        #expect(try updated(read) == Self.start + 5_000)
        #expect(read.header("ETag") == stillStanding.header("ETag"))
    }

    @Test func listsSortAndFilterByTheStampAndImportsStampOnlyWhatChanges() throws {
        let clock = InProcessServer.ManualClock(Self.start)
        let server = try InProcessServer(clock: clock.serverClock)
        defer { server.stop() }
        #expect(try server.send("PUT", "/api/calls/early", ongoingCall).status == 201)
        clock.set(Self.start + 100)
        #expect(try server.send("PUT", "/api/calls/late", ongoingCall).status == 201)

        func callIDs(_ body: String) throws -> [String] {
            let listed = try server.send("POST", "/api/calls", body)
            #expect(listed.status == 200)
            return (try data(listed)["calls"] as? [[String: Any]] ?? []).compactMap { $0["call_id"] as? String }
        }
        #expect(try callIDs(#"{"sort_by":"updated_timestamp","sort_order":"asc"}"#) == ["early", "late"])
        #expect(try callIDs(#"{"sort_by":"updated_timestamp"}"#) == ["late", "early"])
        let since = #"{"filter_criteria":{"updated_timestamp":{"lower_threshold":\#(Self.start + 1)}}}"#
        #expect(try callIDs(since) == ["late"])
        let applied = try data(try server.send("POST", "/api/calls", since))["applied_filters"] as? [String: Any]
        let lower = (applied?["updated_timestamp"] as? [String: Any])?["lower_threshold"] as? NSNumber
        #expect(lower?.int64Value == Self.start + 1)

        // An import whose line for `early` changes nothing leaves it as it was; the new call gets the import's time.
        clock.set(Self.start + 900)
        let lines = #"{"call_id":"early","agent_id":"a1","call_status":"ongoing","call_type":"PHONE_CALL","direction":"inbound","start_timestamp":1000,"transcript":"first words"}"#
            + "\n" + #"{"call_id":"fresh","agent_id":"a1","call_status":"ongoing","call_type":"PHONE_CALL","direction":"inbound","start_timestamp":1000}"#
        let imported = try server.send("POST", "/api/calls/import", lines, contentType: "application/x-ndjson")
        #expect(imported.status == 200)
        #expect(try updated(try server.send("GET", "/api/calls/early")) == Self.start)
        #expect(try updated(try server.send("GET", "/api/calls/fresh")) == Self.start + 900)
        // Both start at the same time, so the default order between them is their random ids': compare as a set.
        #expect(try callIDs(since).sorted() == ["fresh", "late"])
    }

    @Test func writeBodiesCarryingTheStampAreRefusedNamingIt() throws {
        let server = try InProcessServer(clock: InProcessServer.ManualClock(Self.start).serverClock)
        defer { server.stop() }
        let carrying = ongoingCall.replacingOccurrences(of: "{", with: #"{"updated_timestamp":5,"#)
        let put = try server.send("PUT", "/api/calls/c-1", carrying)
        #expect(put.status == 400)
        #expect((put.json?["message"] as? String)?.contains("updated_timestamp") == true)
        #expect(try server.send("PUT", "/api/calls/c-1", ongoingCall).status == 201)
        let patch = try server.send("PATCH", "/api/calls/c-1", #"{"updated_timestamp":5}"#)
        #expect(patch.status == 400)
        #expect((patch.json?["message"] as? String)?.contains("updated_timestamp") == true)
        let line = carrying.replacingOccurrences(of: "{", with: #"{"call_id":"c-2","#)
        let imported = try server.send("POST", "/api/calls/import", line, contentType: "application/x-ndjson")
        #expect(imported.status == 400)
        #expect((imported.json?["message"] as? String)?.contains("line 1") == true)
        #expect((imported.json?["message"] as? String)?.contains("updated_timestamp") == true)
        #expect(try updated(try server.send("GET", "/api/calls/c-1")) == Self.start)
    }

    @Test func aRestartKeepsEveryStampAndETag() throws {
        let clock = InProcessServer.ManualClock(Self.start)
        let server = try InProcessServer(clock: clock.serverClock)
        defer { server.stop() }
        let created = try server.send("PUT", "/api/calls/c-1", ongoingCall)
        clock.set(Self.start + 7)
        let patched = try server.send("PATCH", "/api/calls/c-2", "{}")
        #expect(patched.status == 404)
        #expect(try server.send("PUT", "/api/calls/c-2", ongoingCall).status == 201)

        try server.restart(clock: InProcessServer.ManualClock(Self.start + 86_400_000).serverClock)
        let first = try server.send("GET", "/api/calls/c-1")
        #expect(try updated(first) == Self.start)
        #expect(first.header("ETag") == created.header("ETag"))
        #expect(try updated(try server.send("GET", "/api/calls/c-2")) == Self.start + 7)
    }
}

/// A data directory the release before `updated_timestamp` wrote (`Fixtures/previous-release-data`: twelve calls
/// of `org-t` imported and snapshotted at a clean stop, then a create, a patch ending `old-1` and a delete of
/// `old-2` left in the journal by a kill) loads whole, every call stamped with the time of that first start, and a
/// restart keeps those stamps.
@Suite(.serialized) struct PreviousReleaseDataTests {
    private static let firstStart: Int64 = 1_800_000_000_000

    private func listed(_ server: InProcessServer) throws -> [[String: Any]] {
        let response = try server.send("POST", "/api/calls", #"{"limit":100,"sort_by":"call_id","sort_order":"asc"}"#)
        #expect(response.status == 200)
        return ((response.json?["data"] as? [String: Any])?["calls"] as? [[String: Any]]) ?? []
    }

    private func stamps(_ calls: [[String: Any]]) -> [String: Int64] {
        var stamps: [String: Int64] = [:]
        for call in calls {
            if let id = call["call_id"] as? String { stamps[id] = (call["updated_timestamp"] as? NSNumber)?.int64Value }
        }
        return stamps
    }

    @Test func loadsStampedWithTheFirstStartAndKeepsThoseStamps() throws {
        let fixture = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
            .appendingPathComponent("previous-release-data")
        let clock = InProcessServer.ManualClock(Self.firstStart)
        let server = try InProcessServer(clock: clock.serverClock, data: fixture)
        defer { server.stop() }

        let calls = try listed(server)
        let expectedIDs = ["new-1"] + (0..<12).filter { $0 != 2 }.map { "old-\($0)" }
        #expect(calls.compactMap { $0["call_id"] as? String }.sorted() == expectedIDs.sorted())
        #expect(Set(stamps(calls).values) == [Self.firstStart])
        let ended = try #require(calls.first { $0["call_id"] as? String == "old-1" })
        #expect(ended["call_status"] as? String == "ENDED")
        #expect((ended["end_timestamp"] as? NSNumber)?.int64Value == 1_700_000_090_000)
        let withMetadata = try server.send("GET", "/api/calls/old-0")
        let old0 = try #require(withMetadata.json?["data"] as? [String: Any])
        #expect(old0["transcript"] as? String == "previous release call 0 refund")
        #expect((old0["metadata"] as? [String: String]) == ["k": "v0"])

        clock.set(Self.firstStart + 5)
        #expect(try server.send("PATCH", "/api/calls/old-3", #"{"agent_id":"agent-new"}"#).status == 200)
        let newest = try server.send("POST", "/api/calls", #"{"sort_by":"updated_timestamp","limit":1}"#)
        let first = ((newest.json?["data"] as? [String: Any])?["calls"] as? [[String: Any]])?.first
        #expect(first?["call_id"] as? String == "old-3")

        try server.restart(clock: InProcessServer.ManualClock(Self.firstStart + 3_600_000).serverClock)
        var expected = stamps(calls)
        expected["old-3"] = Self.firstStart + 5
        #expect(stamps(try listed(server)) == expected)
    }
}
