import Foundation

/// An append-only, checksummed log of opaque records with group commit, snapshots and crash recovery.
///
/// Guarantees:
/// - An append's callback gets `.success` only after every one of its records was written and `fdatasync`ed,
///   and after the `beforeCallbacks` hook saw them; a failed write or sync acknowledges none of its batch.
/// - Hooks and callbacks run on the writer thread, in the order the appends were queued; a commit's
///   `beforeCallbacks` hook runs before any of its callbacks and after the previous commit's callbacks.
///   Keep them short (hand work to another thread): the next group's write waits for them.
/// - Records get consecutive sequence numbers from 0 in append order; replay returns them in that order.
/// - After a crash, replay returns every acknowledged record; it may also return a prefix of a batch whose
///   callback never ran (records are the unit of atomicity, so an all-or-nothing change belongs in one record).
public final class Journal: Sendable {
    let core: JournalCore

    private init(core: JournalCore) {
        self.core = core
    }

    /// Replays the journal in `directory` and starts its writer thread. The directory must stay open while
    /// the journal is.
    public static func open(
        directory: DataDirectory, options: Options = Options()
    ) throws(JournalError) -> (journal: Journal, recovered: Recovery) {
        guard directory.claimJournal() else {
            throw directory.isOpen ? JournalError.alreadyOpen : JournalError.closed
        }
        let outcome: JournalReplay.Outcome
        do {
            outcome = try JournalReplay.run(
                directory: directory, maximumRecordLength: options.maximumRecordLength,
                readsSnapshotPayload: options.readsSnapshotPayload)
        } catch {
            directory.releaseJournal()
            throw error
        }
        guard let last = outcome.segments.last, let salt = last.salt else {
            directory.releaseJournal()
            throw JournalError.corrupt("replay produced no segment to append to")
        }
        let core = JournalCore(
            directory: directory, options: options, recovery: outcome.recovery, segments: outcome.segments,
            retained: outcome.retained)
        let start = JournalWriter.Start(
            descriptor: outcome.descriptor, segmentStart: last.start, salt: salt, path: last.path, goodLength: last.byteSize,
            nextSequence: outcome.recovery.nextSequence)
        let writer = Thread {
            JournalWriter(core: core, start: start).run()
        }
        writer.name = "journal-writer"
        writer.start()
        return (Journal(core: core), outcome.recovery)
    }

    deinit {
        close()
    }

    /// Queues `records` for the next group commit; `onDurable` runs on the writer thread once they are durable
    /// (`.success`) or could not be made so (`.failure`; then none of them is acknowledged). Invalid records, a
    /// failed journal or a closed one are refused at once, on the calling thread.
    public func append(_ records: [[UInt8]], onDurable: @escaping @Sendable (Result<Void, JournalError>) -> Void) {
        for record in records {
            if let problem = JournalGroupFrame.validate(record, maximumLength: core.options.maximumRecordLength) {
                onDurable(.failure(.invalidRecord(problem)))
                return
            }
        }
        if let refusal = core.submit(.append(records, onDurable)) {
            onDurable(.failure(refusal))
        }
    }

    /// Appends `records` and blocks until they are durable. Must not be called from a callback or the hook.
    public func appendAndWait(_ records: [[UInt8]]) throws(JournalError) {
        guard !core.isJournalThread else { throw JournalError.calledFromJournalThread }
        let wait = JournalWait<Result<Void, JournalError>>()
        append(records) { wait.fulfil($0) }
        try wait.wait().get()
    }

    /// Bytes of intact records in the live log segments: what a restart would replay on top of the snapshot.
    public var byteSize: Int {
        core.state.withLock { $0.segments.reduce(0) { $0 + $1.byteSize } }
    }

    /// Every record numbered below this is durable; it is the number the next appended record will get once durable.
    public var durableSequence: UInt64 {
        core.state.withLock { $0.durableSequence }
    }

    /// The snapshot on disk reflects exactly the records numbered below this.
    public var snapshotSequence: UInt64 {
        core.state.withLock { $0.snapshotSequence }
    }

    /// Number of live log segment files.
    public var segmentCount: Int {
        core.state.withLock { $0.segments.count }
    }

    /// Whether appends are accepted: open and not in the failed state.
    public var isAvailable: Bool {
        core.state.withLock { $0.accepting && $0.failure == nil }
    }

    /// The error that put the journal into its failed state, while it is in it.
    public var failure: JournalError? {
        core.state.withLock { $0.failure }
    }

    /// Counters since open.
    public var statistics: Statistics {
        core.state.withLock { $0.statistics }
    }

    /// Asks the writer to leave the failed state now (cut the log back to its last good length and sync it);
    /// returns whether the journal accepts appends afterwards. Appends queued before this call are handled first.
    @discardableResult
    public func recoverIfPossible() -> Bool {
        guard !core.isJournalThread else { return false }
        let wait = JournalWait<Bool>()
        if core.submit(.recover { wait.fulfil($0) }) != nil { return false }
        return wait.wait()
    }

    /// Finishes every append queued so far (their callbacks run), closes the log and stops the writer thread.
    /// Later appends fail with `JournalError.closed`. Closing twice is harmless.
    public func close() {
        _ = core.requestStop()
        // From a callback or hook (dropping the last reference) the writer ends on its own after this.
        guard !core.isJournalThread else { return }
        core.finished.wait()
        // Let any other thread blocked in `close()` through as well.
        core.finished.signal()
    }

    /// Test hook: failures to inject into the journal's I/O.
    var faults: JournalFaults { core.faults }
}
