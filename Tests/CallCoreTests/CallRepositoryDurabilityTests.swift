import Foundation
import Testing
@testable import CallCore

/// What `CallRepository` shows and acknowledges around the journal's flush: a write is visible only once durable,
/// and one the disk failed is neither acknowledged nor shown, now or after a restart.
@Suite struct CallRepositoryDurabilityTests {
    @Test func aWriteIsVisibleOnlyOnceDurableAndAcknowledgedOnlyOnceVisible() throws {
        let gate = CommitGate()
        let store = try RepositoryUnderTest("visibility", beforeApplying: gate.hook)
        let repository = store.repository
        // Each answer records whether a reader already saw the call when its write was acknowledged.
        let answers = Answers<(callID: String, acknowledged: Bool, visibleThen: Bool)>()
        func put(_ callID: String) {
            // Returns once the write is decided and queued in the journal; the answer comes later.
            repository.put(callID, transcript: callID) { result in
                answers.add((callID, (try? result.get()) != nil, repository.visible(callID) != nil))
            }
        }
        gate.arm()
        put("held")
        #expect(gate.waitUntilHeld())
        // On disk, but not yet applied: no reader sees it, and it is not acknowledged.
        #expect(repository.visible("held") == nil)
        #expect(repository.changes.lastSequence(organizationID: "org-1") == 0)
        // A write queued behind it (not even written yet) is not visible either, yet it is decided against the held
        // one: it finds the call the held write created.
        var foundHeld = false
        repository.write({ (latest: (String, String) -> Call?, _: Int64) throws(APIError) in
            foundHeld = latest("org-1", "held")?.transcript == "held"
            return CallRepository.Decision(mutations: [], outcome: ())
        }, completion: { _ in })
        #expect(foundHeld)
        put("queued")
        #expect(repository.visible("queued") == nil)
        #expect(answers.all.isEmpty)

        gate.release()
        #expect(answers.wait(for: 2))
        #expect(answers.all.count == 2)
        for answer in answers.all {
            #expect(answer.acknowledged, "\(answer.callID)")
            #expect(answer.visibleThen, "\(answer.callID) was acknowledged before a reader could see it")
        }
    }

    @Test func aFailedFlushAcknowledgesNothingAndShowsNothing() throws {
        let store = try RepositoryUnderTest("fsync")
        #expect(store.repository.put("kept", transcript: "kept").failureCode == nil)
        let feedBefore = store.repository.changes.lastSequence(organizationID: "org-1")

        store.journal.faults.inject(.segmentSync, errno: EIO)
        let failed = store.repository.put("lost", transcript: "lost")
        #expect(failed.failureCode == "unavailable")
        if case .failure(let error) = failed { #expect(error.status == 503) }
        #expect(store.repository.visible("lost") == nil)
        #expect(store.repository.changes.lastSequence(organizationID: "org-1") == feedBefore)
        // Nor does the next write find it, as it would find a write merely queued.
        let seen = store.repository.writeWaiting { (latest: (String, String) -> Call?, _: Int64) throws(APIError) in
            CallRepository.Decision(mutations: [], outcome: latest("org-1", "lost") != nil)
        }
        #expect((try? seen.get()) == false)

        #expect(store.journal.recoverIfPossible())
        #expect(store.repository.put("after", transcript: "after").failureCode == nil)
        try store.crashAndRestart()
        #expect(store.repository.visible("kept")?.transcript == "kept")
        #expect(store.repository.visible("after")?.transcript == "after")
        #expect(store.repository.visible("lost") == nil)
        #expect(store.repository.current.count(organizationID: "org-1") == 2)
    }

    @Test func writesInFlightWhenAFlushFailsAreShownExactlyWhenAcknowledged() throws {
        let store = try RepositoryUnderTest("fsync-many")
        store.journal.faults.inject(.segmentSync, errno: EIO)
        let answers = Answers<(callID: String, acknowledged: Bool)>()
        let repository = store.repository
        journalRunConcurrently(24) { index in
            let callID = "c-\(index)"
            answers.add((callID, repository.put(callID, transcript: callID).failureCode == nil))
        }
        let failed = answers.all.filter { !$0.acknowledged }
        // The first group failed; whatever else was in flight with it or behind it failed too.
        #expect(!failed.isEmpty)
        for answer in answers.all {
            #expect((store.repository.visible(answer.callID) != nil) == answer.acknowledged, "\(answer.callID)")
        }
        try store.crashAndRestart()
        for answer in answers.all {
            #expect((store.repository.visible(answer.callID) != nil) == answer.acknowledged, "\(answer.callID) after restart")
        }
    }
}
