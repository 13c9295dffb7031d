import Foundation
import Locking

/// Opens the data directory, replays snapshot plus journal into a store, and keeps the journal
/// compact: when it passes `compactBytes`, and once more on shutdown.
public final class DurableStore: Sendable {
    /// How long deletions stay in the changes feed unless configured: 30 days, in milliseconds.
    public static let defaultChangesRetention: Int64 = 30 * 86_400_000

    /// The live store, its journal and its changes feed.
    public let repository: CallRepository
    private let directory: DataDirectory
    private let compactBytes: Int
    private let compacting = Locked(false)
    /// Whether the data on disk is in an older form: a snapshot without the index (written before snapshots held
    /// it), or calls without `updated_timestamp` (written before that field existed, which this start stamped). The
    /// next compaction rewrites it even without new writes, so the restart after it loads the index instead of
    /// building it, and every call keeps the stamp of the start that added it.
    private let snapshotOutdated: Locked<Bool>
    private let clock: ServerClock

    /// Recovers the store in `path` (created when missing); `log` receives replay diagnostics. Calls stored by a
    /// release before `updated_timestamp` existed get the time of this start.
    public convenience init(
        path: String, compactBytes: Int, maxCallsPerOrganization: Int? = nil,
        changesRetention: Int64 = DurableStore.defaultChangesRetention, clock: ServerClock = .system,
        log: @escaping @Sendable (String) -> Void
    ) throws {
        try self.init(
            path: path, compactBytes: compactBytes, maxCallsPerOrganization: maxCallsPerOrganization,
            changesRetention: changesRetention, clock: clock, beforeApplying: nil, log: log)
    }

    /// Recovers the store in `path`; `beforeApplying` (a test hook) runs on the journal's writer thread for each
    /// durable group before it is applied, published and acknowledged.
    init(
        path: String, compactBytes: Int, maxCallsPerOrganization: Int?, changesRetention: Int64, clock: ServerClock,
        beforeApplying: (@Sendable (Journal.Commit) -> Void)?, log: @escaping @Sendable (String) -> Void
    ) throws {
        try FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        directory = try DataDirectory(path: path)
        self.compactBytes = compactBytes
        let box = Locked<CallRepository?>(nil)
        let options = Journal.Options(
            beforeCallbacks: { commit in
                beforeApplying?(commit)
                box.withLock { $0 }?.applyDurable(commit)
            },
            maximumRecordLength: 512 << 20, readsSnapshotPayload: false)
        let (journal, recovered) = try Journal.open(directory: directory, options: options)
        for line in recovered.diagnostics { log("journal: \(line)") }

        let started = clock.milliseconds()
        let loaded = try StoreSnapshot.loadWithChanges(recovered.snapshotLocation, legacyUpdatedTimestamp: started)
        for line in loaded.repairs { log("snapshot: \(line)") }
        var store = loaded.store
        // A snapshot without the feed (an older release's, or one whose feed does not match its calls) starts a new
        // history from its calls: no token issued before can be continued, and the compaction below writes it.
        var changes = loaded.changes ?? ChangeLog.seeded(from: store)
        var entries: [JournalEntry] = []
        var replay: [CallMutation] = []
        for record in recovered.records {
            let entry = try MutationRecord.decodeEntry(record, legacyUpdatedTimestamp: started)
            if case .mutations(let batch) = entry { replay += batch }
            entries.append(entry)
        }
        let snapshotStore = store
        if !replay.isEmpty { store = store.applying(replay) }
        changes.record(entries, before: snapshotStore, oldestKept: started - changesRetention)
        changes.compactAll(oldestKept: started - changesRetention)
        // A replayed call stamped exactly now is one the journal held without a stamp (a real one this equal to the
        // clock only costs a compaction).
        let unstampedReplay = replay.contains { mutation in
            if case .upsert(let call) = mutation { return call.updatedTimestamp == started }
            return false
        }
        let outdatedSnapshot = recovered.snapshotLocation.map { !StoreSnapshot.isCurrent($0) } ?? false
        snapshotOutdated = Locked(
            outdatedSnapshot || unstampedReplay || !loaded.repairs.isEmpty
                || loaded.changes == nil && recovered.snapshotLocation != nil)
        self.clock = clock
        let repository = CallRepository(
            store: store, changes: changes, appliedSequence: recovered.nextSequence,
            changedThrough: replay.isEmpty ? 0 : recovered.nextSequence, journal: journal,
            secret: try directory.cursorSecret(), changesRetention: changesRetention,
            maxCallsPerOrganization: maxCallsPerOrganization, clock: clock)
        box.withLock { $0 = repository }
        self.repository = repository
        // Every start is an epoch of the changes feed, journaled before anything else this start writes.
        do {
            try repository.beginEpoch()
        } catch {
            log("journal: could not record this start for the changes feed (\(error)); writes will fail until the disk recovers")
        }
        log("data dir \(path): \(store.count) calls (snapshot + \(recovered.records.count) journal records)")
    }

    /// Upserts `calls` that are new or differ from what is stored, durably, stamped with the time of the load (a
    /// line's own `updated_timestamp` is not kept: the load is the write); returns how many were written.
    public func load(_ calls: [Call]) throws -> Int {
        let current = repository.current
        let now = clock.milliseconds()
        let changed = calls.compactMap { call in
            call.written(over: current.call(organizationID: call.organizationID, callID: call.callID), at: now)
        }
        try repository.bulkLoad(changed)
        return changed.count
    }

    /// Starts the background thread that compacts the journal once it grows past the threshold, or the data on disk
    /// is in an older form.
    public func startCompactor(log: @escaping @Sendable (String) -> Void) {
        let thread = Thread { [self] in
            while true {
                sleep(1)
                // Data in an older form is rewritten at once: until then a crash would stamp its calls again.
                if repository.journal.byteSize > compactBytes || snapshotOutdated.withLock({ $0 }) {
                    do {
                        try compact()
                    } catch {
                        log("compaction failed: \(error)")
                    }
                }
            }
        }
        thread.name = "compactor"
        thread.start()
    }

    /// Writes a snapshot of the current version and drops the journal it covers; reads go on meanwhile.
    func compact() throws {
        let alreadyRunning = compacting.withLock { running in
            defer { running = true }
            return running
        }
        guard !alreadyRunning else { return }
        defer { compacting.withLock { $0 = false } }
        let (store, sequence, changes, changedThrough) = repository.currentWithSequence
        // Epoch marks alone (a start without writes) are left in the journal: not worth rewriting every call for.
        guard changedThrough > repository.journal.snapshotSequence || snapshotOutdated.withLock({ $0 }) else { return }
        try repository.journal.compact(upTo: sequence) { writer throws(JournalError) in
            try StoreSnapshot.write(store, changes: changes, to: writer)
        }
        snapshotOutdated.withLock { $0 = false }
    }

    /// Closes the journal and the directory lock without a snapshot, leaving the data directory as a crash would
    /// (the next start replays the journal); for tests of what survives.
    func closeWithoutCompacting() {
        repository.journal.close()
        directory.close()
    }

    /// Compacts and closes the journal and the directory lock (clean shutdown).
    public func close(log: @escaping @Sendable (String) -> Void) {
        do {
            try compact()
        } catch {
            log("final compaction failed (the journal still holds every write): \(error)")
        }
        repository.journal.close()
        directory.close()
    }
}
