import Dispatch
import Foundation
import Synchronization
@testable import CallCore

/// A `DurableStore` on a fresh directory that a test stops and starts again on the same directory, as the server
/// does; what a restart finds is what was durable.
final class RepositoryUnderTest {
    let directory: JournalTestDirectory
    private(set) var durable: DurableStore
    private let clock: ServerClock
    private let beforeApplying: (@Sendable (Journal.Commit) -> Void)?

    /// Opens a store in a new directory; `beforeApplying` sees each durable group before it is applied.
    init(
        _ label: String, clock: ServerClock = .system, beforeApplying: (@Sendable (Journal.Commit) -> Void)? = nil
    ) throws {
        directory = JournalTestDirectory(label)
        self.clock = clock
        self.beforeApplying = beforeApplying
        durable = try Self.open(directory, clock: clock, beforeApplying: beforeApplying)
    }

    deinit {
        durable.closeWithoutCompacting()
        directory.remove()
    }

    var repository: CallRepository { durable.repository }
    var journal: Journal { durable.repository.journal }

    /// Leaves the directory as a crash would (no snapshot) and starts on it again: only the journal speaks for what
    /// was written.
    func crashAndRestart() throws {
        durable.closeWithoutCompacting()
        durable = try Self.open(directory, clock: clock, beforeApplying: beforeApplying)
    }

    /// Like `crashAndRestart`, and returns the mutation records the journal held, in journal order.
    func crashReadingJournal() throws -> [[CallMutation]] {
        durable.closeWithoutCompacting()
        let records = try recoverJournal(directory).records
        durable = try Self.open(directory, clock: clock, beforeApplying: beforeApplying)
        return try records.compactMap { record in
            guard case .mutations(let batch) = try MutationRecord.decodeEntry(record, legacyUpdatedTimestamp: 0) else { return nil }
            return batch
        }
    }

    private static func open(
        _ directory: JournalTestDirectory, clock: ServerClock, beforeApplying: (@Sendable (Journal.Commit) -> Void)?
    ) throws -> DurableStore {
        try DurableStore(
            path: directory.path, compactBytes: .max, maxCallsPerOrganization: nil,
            changesRetention: DurableStore.defaultChangesRetention, clock: clock, beforeApplying: beforeApplying, log: { _ in })
    }
}

extension CallRepository {
    /// Runs `decide` as a write and waits for its answer: success once durable and visible, or what stopped it.
    func writeWaiting<Outcome: Sendable>(
        _ decide: (_ latest: (String, String) -> Call?, _ now: Int64) throws(APIError) -> Decision<Outcome>
    ) -> Result<Outcome, APIError> {
        let wait = JournalWait<Result<Outcome, APIError>>()
        write(decide) { wait.fulfil($0) }
        return wait.wait()
    }

    /// A `PUT` of `callID` in `org-1` with `transcript`, conditional on `ifMatch` when given, waited for.
    func put(_ callID: String, transcript: String, ifMatch: [String] = []) -> Result<SingleCallWrite.Outcome, APIError> {
        let wait = JournalWait<Result<SingleCallWrite.Outcome, APIError>>()
        put(callID, transcript: transcript, ifMatch: ifMatch) { wait.fulfil($0) }
        return wait.wait()
    }

    /// Starts that `PUT`: decided and queued in the journal when this returns; `completion` gets its answer.
    func put(
        _ callID: String, transcript: String, ifMatch: [String] = [],
        completion: @escaping @Sendable (Result<SingleCallWrite.Outcome, APIError>) -> Void
    ) {
        let body = #"{"agent_id":"a1","call_status":"ongoing","call_type":"PHONE_CALL","direction":"inbound","#
            + #""start_timestamp":1000,"transcript":"\#(transcript)"}"#
        let write = SingleCallWrite(kind: .put, organizationID: "org-1", callID: callID, ifMatch: ifMatch, body: Array(body.utf8))
        self.write(write.decide(latest:now:), completion: completion)
    }

    /// The published call `callID` of `org-1`, as a reader sees it.
    func visible(_ callID: String) -> Call? {
        current.call(organizationID: "org-1", callID: callID)
    }
}

/// Holds the journal's writer thread at the first durable group that carries calls once armed: that group is on
/// disk but neither applied nor acknowledged until `release()`, and everything appended meanwhile waits behind it.
final class CommitGate: Sendable {
    private let armed = Atomic<Bool>(false)
    private let reached = DispatchSemaphore(value: 0)
    private let opened = DispatchSemaphore(value: 0)

    /// The hook to give the store.
    var hook: @Sendable (Journal.Commit) -> Void {
        { [self] commit in
            // Epoch marks (one per start) pass; the first group with a mutation record is held.
            guard commit.records.contains(where: { $0.first != UInt8(ascii: "E") }),
                  armed.exchange(false, ordering: .acquiringAndReleasing) else { return }
            reached.signal()
            opened.wait()
        }
    }

    /// Holds the next group that carries calls.
    func arm() { armed.store(true, ordering: .releasing) }

    /// Waits until the writer is held; false after 10 s.
    func waitUntilHeld() -> Bool { reached.wait(timeout: .now() + 10) == .success }

    /// Lets the held group be applied and acknowledged.
    func release() { opened.signal() }
}

/// Answers collected from several threads.
final class Answers<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])
    private let arrived = DispatchSemaphore(value: 0)

    func add(_ value: Value) {
        values.withLock { $0.append(value) }
        arrived.signal()
    }

    var all: [Value] { values.withLock { $0 } }

    /// Waits for `count` answers in all; false after 10 s.
    func wait(for count: Int) -> Bool {
        for _ in 0..<count where arrived.wait(timeout: .now() + 10) != .success { return false }
        return true
    }
}
