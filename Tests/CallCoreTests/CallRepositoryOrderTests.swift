import Foundation
import Synchronization
import Testing
@testable import CallCore

/// Concurrent writes to one call through `CallRepository`: they are decided one at a time against the latest state
/// (queued writes included), so none is lost, the journal holds them in the order they were decided, and a
/// conditional write is decided against the call as the writes before it left it.
@Suite struct CallRepositoryOrderTests {
    @Test func concurrentWritesToOneCallKeepTheJournalsOrder() throws {
        let clock = SteppingClock()
        let store = try RepositoryUnderTest("order", clock: clock.serverClock)
        let writers = 8
        let rounds = 25
        let acknowledged = Answers<Call>()
        let repository = store.repository
        journalRunConcurrently(writers) { writer in
            for round in 0..<rounds {
                // Each write counts one on from the version it finds: a write decided against a stale state would
                // repeat a version, and one lost would leave a gap.
                let result = repository.writeWaiting { (latest: (String, String) -> Call?, now: Int64) throws(APIError) in
                    let current = latest("org-1", "c-1")
                    let version = current.map { Int($0.transcript) ?? -1 } ?? 0
                    let call = TestSupport.call(
                        "c-1", transcript: String(version + 1), metadata: ["writer": "\(writer)-\(round)"])
                    guard let stored = call.written(over: current, at: now) else { throw APIError.invalidRequest("no change") }
                    return CallRepository.Decision(mutations: [.upsert(stored)], outcome: stored)
                }
                if case .success(let call) = result { acknowledged.add(call) }
            }
        }
        let total = writers * rounds
        #expect(acknowledged.all.count == total)
        let published = try #require(store.repository.visible("c-1"))
        #expect(published.transcript == String(total))

        let journaled = try store.crashReadingJournal().flatMap { $0 }.compactMap { mutation -> Call? in
            guard case .upsert(let call) = mutation else { return nil }
            return call
        }
        // The journal's order is the order the versions were decided in: 1, 2, 3, … with none lost or repeated.
        #expect(journaled.map(\.transcript) == (1...total).map(String.init))
        // `updated_timestamp` never goes back along that order, though the clock did.
        #expect(zip(journaled, journaled.dropFirst()).allSatisfy { $0.updatedTimestamp <= $1.updatedTimestamp })
        #expect(clock.steppedBack)
        // Every acknowledged answer is exactly what the journal holds for its version.
        let byVersion = Dictionary(uniqueKeysWithValues: journaled.map { ($0.transcript, $0) })
        #expect(acknowledged.all.allSatisfy { byVersion[$0.transcript] == $0 })
        // The published state before the crash, the journal's last write and the state after it agree.
        #expect(journaled.last == published)
        #expect(store.repository.visible("c-1") == published)
    }

    @Test func ofConcurrentWritesWithOneETagExactlyOneWins() throws {
        let store = try RepositoryUnderTest("if-match")
        let created = try store.repository.put("c-1", transcript: "original").get()
        let tag = CallETag.of(created.call)
        let writers = 8
        let answers = Answers<(writer: Int, result: Result<SingleCallWrite.Outcome, APIError>)>()
        let repository = store.repository
        journalRunConcurrently(writers) { writer in
            answers.add((writer, repository.put("c-1", transcript: "writer \(writer)", ifMatch: [tag])))
        }
        let winners = answers.all.filter { if case .success = $0.result { true } else { false } }
        #expect(winners.count == 1)
        for answer in answers.all where answer.writer != winners.first?.writer {
            #expect(answer.result.failureCode == "precondition_failed")
        }
        let winner = try #require(winners.first?.writer)
        #expect(store.repository.visible("c-1")?.transcript == "writer \(winner)")
        try store.crashAndRestart()
        #expect(store.repository.visible("c-1")?.transcript == "writer \(winner)")
    }

    @Test func aConditionalWriteIsDecidedAgainstAWriteNotYetDurable() throws {
        let gate = CommitGate()
        let store = try RepositoryUnderTest("if-match-queued", beforeApplying: gate.hook)
        let created = try store.repository.put("c-1", transcript: "original").get()
        let tag = CallETag.of(created.call)
        gate.arm()
        let first = Answers<Result<SingleCallWrite.Outcome, APIError>>()
        store.repository.put("c-1", transcript: "first", ifMatch: [tag]) { first.add($0) }
        #expect(gate.waitUntilHeld())
        // Readers still see the original call and its tag, but the write in flight has changed it: a second writer
        // holding the same tag must not overwrite the first.
        #expect(store.repository.visible("c-1")?.transcript == "original")
        let second = store.repository.put("c-1", transcript: "second", ifMatch: [tag])
        #expect(second.failureCode == "precondition_failed")
        gate.release()
        #expect(first.wait(for: 1))
        #expect(first.all.first?.failureCode == nil)
        #expect(store.repository.visible("c-1")?.transcript == "first")
    }
}

/// A wall clock that mostly moves forward and now and then steps back (as one corrected by NTP does).
final class SteppingClock: Sendable {
    private struct State {
        var reads: Int64 = 0
        var last: Int64 = 0
        var steppedBack = false
        var random = SplitMix64(seed: 42)
    }

    private let state = Mutex(State())

    var serverClock: ServerClock {
        ServerClock { [self] in
            state.withLock { state in
                state.reads += 1
                let now = 1_700_000_000_000 + state.reads * 10 - Int64(state.random.next() % 40)
                state.steppedBack = state.steppedBack || now < state.last
                state.last = now
                return now
            }
        }
    }

    /// Whether some reading was earlier than the one before it.
    var steppedBack: Bool { state.withLock { $0.steppedBack } }
}

extension Result where Failure == APIError {
    /// The error's code, or nil on success.
    var failureCode: String? {
        if case .failure(let error) = self { return error.code }
        return nil
    }
}
