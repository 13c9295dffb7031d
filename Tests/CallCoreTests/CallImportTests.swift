import Foundation
import Testing
@testable import CallCore

/// `POST /api/calls/import` below HTTP: the body decoded a line at a time (line numbers, blank lines, repeated
/// `call_id`s), and the write that stores all of it or, when the disk fails in the middle, none of it.
@Suite struct CallImportTests {
    /// An import line for `callID`.
    private static func line(_ callID: String, transcript: String = "hello") -> String {
        #"{"call_id":"\#(callID)","agent_id":"a1","call_status":"ended","call_type":"WEB_CALL","direction":"outbound","#
            + #""start_timestamp":1000,"end_timestamp":4000,"transcript":"\#(transcript)"}"#
    }

    private static func decode(_ text: String) -> Result<CallImport, APIError> {
        Result { () throws(APIError) in try CallImport.decode(Array(text.utf8), organizationID: "org-1") }
    }

    @Test func linesAreCountedWithBlankOnesAndEndingsOfEitherKind() throws {
        let body = Self.line("a") + "\r\n\n  \t\r\n" + Self.line("b") + "\n" + Self.line("c")
        let decoded = try Self.decode(body).get()
        #expect(decoded.lines == 5)
        #expect(decoded.calls.map(\.callID) == ["a", "b", "c"])
        #expect(decoded.calls.allSatisfy { $0.organizationID == "org-1" && $0.duration == 3000 })
        // A newline at the very end starts no line; an empty body has none.
        #expect(try Self.decode(Self.line("a") + "\n").get().lines == 1)
        #expect(try Self.decode("").get().lines == 0)
        #expect(try Self.decode("\n\n").get().lines == 2)
    }

    @Test func theFirstBadLineIsNamedWithItsField() {
        let body = [Self.line("a"), "", Self.line("b").replacingOccurrences(of: #""a1""#, with: "7"), "{"].joined(separator: "\n")
        guard case .failure(let error) = Self.decode(body) else {
            Issue.record("a bad line was accepted")
            return
        }
        #expect(error.code == "invalid_request")
        #expect(error.message.hasPrefix("line 3: agent_id "))
        guard case .failure(let broken) = Self.decode(Self.line("a") + "\n{") else { return }
        #expect(broken.message.hasPrefix("line 2: "))
    }

    @Test func aRepeatedCallIDIsRefusedAtItsSecondLine() {
        let body = [Self.line("a"), Self.line("b"), "", Self.line("a", transcript: "again")].joined(separator: "\n")
        guard case .failure(let error) = Self.decode(body) else {
            Issue.record("a repeated call_id was accepted")
            return
        }
        #expect(error.message.hasPrefix("line 4: call_id a appears earlier"))
    }

    @Test func decidingCountsCreatedAndReplacedAndWritesOnlyWhatChanges() throws {
        let other = TestSupport.call("other", transcript: "old", updated: 10)
        let body = [Self.line("new"), Self.line("other", transcript: "changed")].joined(separator: "\n")
        let decoded = try Self.decode(body).get()
        let decision = decoded.decide(latest: { _, callID in callID == "other" ? other : nil }, now: 99)
        #expect(decision.outcome == CallImport.Counts(lines: 2, imported: 2, created: 1, replaced: 1))
        let written = decision.mutations.compactMap { mutation -> Call? in
            if case .upsert(let call) = mutation { return call }
            return nil
        }
        #expect(written.map(\.callID) == ["new", "other"])
        #expect(written.allSatisfy { $0.updatedTimestamp == 99 })
        // A replaced call keeps its id.
        #expect(written.last?.id == other.id)
        // A line equal to the stored call changes nothing: no mutation, and it still counts as replaced.
        let same = try #require(try Self.decode(Self.line("same")).get().calls.first)
        let kept = try Self.decode(Self.line("same")).get().decide(latest: { _, _ in same }, now: 99)
        #expect(kept.mutations.isEmpty)
        #expect(kept.outcome == CallImport.Counts(lines: 1, imported: 1, created: 0, replaced: 1))
    }

    /// `segmentWrite` puts half the group on disk and then fails, like a disk filling up mid-write; with
    /// `segmentTruncate` failing too, that half stays in the file, as after a crash in the middle of the write.
    @Test(arguments: [[JournalFaultPoint.segmentWrite], [.segmentSync], [.segmentWrite, .segmentTruncate]])
    func anImportTheDiskFailsInTheMiddleLeavesNoneOfItsCalls(_ faults: [JournalFaultPoint]) throws {
        let store = try RepositoryUnderTest("import")
        #expect(store.repository.put("c-0", transcript: "before").failureCode == nil)
        let body = (0..<400).map { Self.line("c-\($0)", transcript: String(repeating: "word\($0) ", count: 40)) }.joined(separator: "\n")
        let decoded = try Self.decode(body).get()

        for fault in faults {
            // The truncate keeps failing, so the journal's own retries cannot cut the half-written group off either.
            store.journal.faults.inject(fault, errno: fault == .segmentWrite ? ENOSPC : EIO, times: fault == .segmentTruncate ? 1000 : 1)
        }
        let failed = store.repository.writeWaiting(decoded.decide(latest:now:))
        #expect(failed.failureCode == "unavailable")
        #expect(store.repository.current.count(organizationID: "org-1") == 1)
        #expect(store.repository.visible("c-0")?.transcript == "before")
        #expect((1..<400).allSatisfy { store.repository.visible("c-\($0)") == nil })

        try store.crashAndRestart()
        #expect(store.repository.current.count(organizationID: "org-1") == 1)
        #expect(store.repository.visible("c-0")?.transcript == "before")

        // The same import once the disk is healthy: all of it, and all of it after a restart.
        store.journal.faults.clear()
        #expect(store.journal.recoverIfPossible())
        let imported = try store.repository.writeWaiting(decoded.decide(latest:now:)).get()
        #expect(imported == CallImport.Counts(lines: 400, imported: 400, created: 399, replaced: 1))
        try store.crashAndRestart()
        #expect(store.repository.current.count(organizationID: "org-1") == 400)
        #expect(store.repository.visible("c-0")?.transcript.hasPrefix("word0 ") == true)
    }
}
