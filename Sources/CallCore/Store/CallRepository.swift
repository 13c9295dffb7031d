import Foundation
import Locking

/// The live store: the current read version, the journal that makes writes durable, and the
/// writes accepted but not yet durable (so a write sees the ones queued before it).
///
/// A write runs in three steps: under the write lock it reads the latest state (published store
/// plus queued writes), decides its mutations and queues them in the journal (so journal order is
/// decision order); the journal's writer thread applies each durable group to a new store version
/// and publishes it; only then is the write's callback told, and its 2xx sent. No reader ever sees
/// a write a crash could still erase.
public final class CallRepository: Sendable {
    private struct Key: Hashable {
        var organizationID: String
        var callID: String
    }

    /// A queued write, remembered until its group is durable.
    private struct Queued {
        var token: UInt64
        /// What its journal record holds: a batch of mutations, or the mark that begins an epoch of the changes feed.
        var entry: JournalEntry
    }

    private struct State {
        var store: IndexedCallStore
        var appliedSequence: UInt64
        /// The end of the last durable group that changed calls (epoch marks alone do not): a snapshot is worth
        /// writing only past it.
        var changedThrough: UInt64
        /// The changes feed, published with the store version it describes.
        var changes: ChangeLog
        /// Latest not-yet-durable value per call (nil: deleted), with the token of the write that set it.
        var overlay: [Key: (call: Call?, token: UInt64)] = [:]
        var queue: [Queued] = []
        var queueHead = 0
        var nextToken: UInt64 = 1
        /// During `bulkLoad`, durable groups only advance the sequence; the version is built once at the end.
        var bulkLoading = false
        /// Per organization, the latest count of calls (published store plus queued writes) minus the published
        /// store's count; kept only when a quota is set. Applying a durable group leaves the latest state as it was,
        /// so this moves by the store's change alone, and no write ever has to walk the overlay to count.
        var pendingCountChange: [String: Int] = [:]
    }

    private let state: Locked<State>
    private let writeLock = Locked(())
    public let journal: Journal
    /// Stored calls allowed per organization; nil: no quota (and no counting).
    let maxCallsPerOrganization: Int?
    /// Signs and checks list cursors with the data directory's secret.
    public let cursors: ListCursorSigner

    /// Issues and opens the changes feed's `since` tokens with the data directory's secret.
    public let changesTokens: ChangesTokenSigner
    /// How long deletions stay in the changes feed (milliseconds).
    let changesRetention: Int64

    /// Stamps each write's `updated_timestamp`, read once per write under the write lock.
    let clock: ServerClock

    /// Wraps a recovered store, its changes feed and an open journal (whose `beforeCallbacks` must call `applyDurable`).
    init(
        store: IndexedCallStore, changes: ChangeLog = ChangeLog(), appliedSequence: UInt64, changedThrough: UInt64 = 0,
        journal: Journal, secret: [UInt8],
        changesRetention: Int64 = DurableStore.defaultChangesRetention, maxCallsPerOrganization: Int? = nil, clock: ServerClock = .system
    ) {
        state = Locked(State(store: store, appliedSequence: appliedSequence, changedThrough: changedThrough, changes: changes))
        self.journal = journal
        cursors = ListCursorSigner(secret: secret)
        changesTokens = ChangesTokenSigner(secret: secret)
        self.changesRetention = changesRetention
        self.maxCallsPerOrganization = maxCallsPerOrganization
        self.clock = clock
    }

    /// The version readers use; holding it keeps it consistent however many writes follow.
    public var current: IndexedCallStore { state.withLock { $0.store } }

    /// The current version and the journal sequence it covers, with the changes feed and the end of the last group
    /// that changed calls, read together (for snapshots).
    var currentWithSequence: (store: IndexedCallStore, sequence: UInt64, changes: ChangeLog, changedThrough: UInt64) {
        state.withLock { ($0.store, $0.appliedSequence, $0.changes, $0.changedThrough) }
    }

    /// The changes feed as of the current version.
    public var changes: ChangeLog { state.withLock { $0.changes } }

    /// Journals the start of a new epoch of the changes feed (one per server start, before any other write) and
    /// waits until it is durable. Tokens issued from now on name it.
    func beginEpoch(_ id: UInt64 = UInt64.random(in: 1 ... .max)) throws {
        try Self.waitFor { completion in
            writeLock.withLock { _ in
                let token = state.withLock { state in
                    let token = state.nextToken
                    state.nextToken += 1
                    state.queue.append(Queued(token: token, entry: .epoch(id)))
                    return token
                }
                journal.append([MutationRecord.epoch(id)]) { [self] result in
                    // Not journaled: its queue entry goes, so the next durable record is not taken for it.
                    if case .failure = result { forget(token: token) }
                    completion(result.mapError { _ in Self.unavailable })
                }
            }
        }
    }

    /// A write decided from the latest state: mutations to journal, and what to answer once durable.
    public struct Decision<Outcome: Sendable>: Sendable {
        /// The changes to journal, as one record (all or nothing); empty: the write changes nothing.
        public var mutations: [CallMutation]
        /// What the caller needs to answer once the mutations are durable.
        public var outcome: Outcome

        /// A decision to journal `mutations` and answer with `outcome`.
        public init(mutations: [CallMutation], outcome: Outcome) {
            self.mutations = mutations
            self.outcome = outcome
        }
    }

    /// Decides a write against the latest state (including queued writes) and the time of the write (milliseconds,
    /// for `Call.written(over:at:)`), journals it, and calls `completion` once it is durable and visible, or with the
    /// error that stopped it.
    public func write<Answer: Sendable>(
        _ decide: (_ latest: (String, String) -> Call?, _ now: Int64) throws(APIError) -> Decision<Answer>,
        completion: @escaping @Sendable (Result<Answer, APIError>) -> Void
    ) {
        write(decide, render: { $0 }, completion: completion)
    }

    /// Like `write(_:completion:)`, but the answer is rendered from the decision's outcome by `render` on the
    /// calling thread after the write lock is released, while the journal flushes: encoding a response costs
    /// more than deciding, and only the deciding must be serialized.
    public func write<Outcome: Sendable, Answer: Sendable>(
        _ decide: (_ latest: (String, String) -> Call?, _ now: Int64) throws(APIError) -> Decision<Outcome>,
        render: (Outcome) -> Answer,
        completion: @escaping @Sendable (Result<Answer, APIError>) -> Void
    ) {
        write(decide, render: render, enforcingQuota: true, completion: completion)
    }

    /// The write itself; `enforcingQuota` is false only for startup loads, which the operator gives.
    private func write<Outcome: Sendable, Answer: Sendable>(
        _ decide: (_ latest: (String, String) -> Call?, _ now: Int64) throws(APIError) -> Decision<Outcome>,
        render: (Outcome) -> Answer,
        enforcingQuota: Bool,
        completion: @escaping @Sendable (Result<Answer, APIError>) -> Void
    ) {
        let decided = writeLock.withLock { _ -> Result<(outcome: Outcome, rendezvous: WriteRendezvous<Answer>?), APIError> in
            let decision: Decision<Outcome>
            // Whether the decision read a queued write, not yet durable.
            var readQueued = false
            do throws(APIError) {
                decision = try decide({ organizationID, callID in
                    let (call, queued) = self.latest(Key(organizationID: organizationID, callID: callID))
                    readQueued = readQueued || queued
                    return call
                }, clock.milliseconds())
            } catch {
                return .failure(error)
            }
            if decision.mutations.isEmpty {
                guard readQueued else { return .success((decision.outcome, nil)) }
                // A write that changes nothing answers with the state it read: when that is a queued write, only
                // once it is durable (a barrier in the journal's order, with no record), so no 2xx rests on a write
                // a crash could still erase.
                let rendezvous = WriteRendezvous(completion: completion)
                journal.append([]) { result in
                    switch result {
                    case .success: rendezvous.durable()
                    case .failure: rendezvous.fail(Self.unavailable)
                    }
                }
                return .success((decision.outcome, rendezvous))
            }
            guard journal.isAvailable else { return .failure(Self.unavailable) }
            let counted = state.withLock { state -> Result<UInt64, APIError> in
                // Decided under the write lock against the latest state, so concurrent writes cannot both take the
                // last place of a quota.
                if maxCallsPerOrganization != nil {
                    let changes = Self.countChanges(decision.mutations, in: state)
                    if enforcingQuota, let quota = maxCallsPerOrganization {
                        for (organizationID, change) in changes where change > 0 {
                            let latest = state.store.count(organizationID: organizationID)
                                + state.pendingCountChange[organizationID, default: 0]
                            if latest + change > quota { return .failure(Self.quotaExceeded(quota: quota, stored: latest, adding: change)) }
                        }
                    }
                    for (organizationID, change) in changes where change != 0 {
                        state.pendingCountChange[organizationID, default: 0] += change
                    }
                }
                let token = state.nextToken
                state.nextToken += 1
                // A large batch (an import) goes in without the overlay copying itself to grow.
                if decision.mutations.count > 1 { state.overlay.reserveCapacity(state.overlay.count + decision.mutations.count) }
                for mutation in decision.mutations {
                    switch mutation {
                    case .upsert(let call):
                        state.overlay[Key(organizationID: call.organizationID, callID: call.callID)] = (call, token)
                    case .delete(let organizationID, let callID, _):
                        state.overlay[Key(organizationID: organizationID, callID: callID)] = (nil, token)
                    }
                }
                state.queue.append(Queued(token: token, entry: .mutations(decision.mutations)))
                return .success(token)
            }
            let token: UInt64
            switch counted {
            case .success(let queued): token = queued
            case .failure(let error): return .failure(error)
            }
            let rendezvous = WriteRendezvous(completion: completion)
            journal.append([MutationRecord.encode(decision.mutations)]) { [self] result in
                switch result {
                case .success:
                    rendezvous.durable()
                case .failure:
                    forget(token: token)
                    rendezvous.fail(Self.unavailable)
                }
            }
            return .success((decision.outcome, rendezvous))
        }
        switch decided {
        case .failure(let error):
            completion(.failure(error))
        case .success(let (outcome, nil)):
            completion(.success(render(outcome)))
        case .success(let (outcome, rendezvous?)):
            rendezvous.rendered(render(outcome))
        }
    }

    /// Applies one durable group: called on the journal's writer thread, before the group's callbacks.
    /// The next version is built outside the lock (only this thread publishes), so readers never wait
    /// for it; the queued writes stay visible to deciders until the new version is in place.
    func applyDurable(_ commit: Journal.Commit) {
        let records = commit.records.count
        let endSequence = commit.endSequence
        let (store, batch, entries, lastToken, bulk, changesBefore) = state.withLock {
            state -> (IndexedCallStore, [CallMutation], [JournalEntry], UInt64, Bool, ChangeLog) in
            var batch: [CallMutation] = []
            var entries: [JournalEntry] = []
            var lastToken: UInt64 = 0
            for _ in 0..<records {
                guard state.queueHead < state.queue.count else { break }
                let queued = state.queue[state.queueHead]
                state.queueHead += 1
                if case .mutations(let mutations) = queued.entry { batch += mutations }
                entries.append(queued.entry)
                lastToken = queued.token
            }
            if state.queueHead > 1024 && state.queueHead * 2 > state.queue.count {
                state.queue.removeFirst(state.queueHead)
                state.queueHead = 0
            }
            return (state.store, batch, entries, lastToken, state.bulkLoading, state.changes)
        }
        // A bulk load builds its version once at the end instead of once per group.
        let next = bulk ? store : store.applying(batch)
        // Recorded outside the lock: only this thread writes the feed, and the entries it appends lie past what any
        // reader was shown until the new value is published below.
        var changes = changesBefore
        changes.record(entries, before: store, oldestKept: bulk ? nil : clock.milliseconds() - changesRetention)
        state.withLock { state in
            if maxCallsPerOrganization != nil && !bulk {
                // The latest state is the same before and after: the store's change moves into it from the overlay.
                var organizations = Set<String>()
                for mutation in batch { organizations.insert(mutation.organizationID) }
                for organizationID in organizations {
                    let moved = next.count(organizationID: organizationID) - store.count(organizationID: organizationID)
                    let remaining = state.pendingCountChange[organizationID, default: 0] - moved
                    state.pendingCountChange[organizationID] = remaining == 0 ? nil : remaining
                }
            }
            state.store = next
            state.changes = changes
            state.appliedSequence = endSequence
            if !batch.isEmpty { state.changedThrough = endSequence }
            if !bulk { state.overlay = state.overlay.filter { $0.value.token > lastToken } }
        }
    }

    /// How each organization's count of calls changes if `mutations` are applied in order to the latest state.
    private static func countChanges(_ mutations: [CallMutation], in state: State) -> [String: Int] {
        var changes: [String: Int] = [:]
        // Keys met earlier in this same decision count as they are after it.
        var present: [Key: Bool] = [:]
        for mutation in mutations {
            let key: Key
            let after: Bool
            switch mutation {
            case .upsert(let call):
                key = Key(organizationID: call.organizationID, callID: call.callID)
                after = true
            case .delete(let organizationID, let callID, _):
                key = Key(organizationID: organizationID, callID: callID)
                after = false
            }
            let before = present[key]
                ?? state.overlay[key].map { $0.call != nil }
                ?? (state.store.call(organizationID: key.organizationID, callID: key.callID) != nil)
            present[key] = after
            if before != after { changes[key.organizationID, default: 0] += after ? 1 : -1 }
        }
        return changes
    }

    /// Recomputes `pendingCountChange` from the overlay (after a failed write is forgotten, a rare path).
    private static func recount(_ state: inout State) {
        var changes: [String: Int] = [:]
        for (key, queued) in state.overlay {
            let stored = state.store.call(organizationID: key.organizationID, callID: key.callID) != nil
            let latest = queued.call != nil
            if stored != latest { changes[key.organizationID, default: 0] += latest ? 1 : -1 }
        }
        state.pendingCountChange = changes.filter { $0.value != 0 }
    }

    /// Journals many calls (a startup import) in large records, then builds one new version from
    /// all of them, instead of a version per group. Only for startup, before any request is served.
    func bulkLoad(_ calls: [Call], recordSize: Int = 20_000) throws {
        guard !calls.isEmpty else { return }
        state.withLock { $0.bulkLoading = true }
        defer { state.withLock { $0.bulkLoading = false } }
        var start = 0
        while start < calls.count {
            let end = min(calls.count, start + recordSize)
            try writeAndWait(calls[start..<end].map { CallMutation.upsert($0) })
            start = end
        }
        let base = current
        // Into an empty store a load is one index build; otherwise it is applied like any write batch.
        let next = base.count == 0 ? try IndexedCallStore(calls: calls) : base.applying(calls.map { CallMutation.upsert($0) })
        state.withLock { state in
            state.store = next
            state.overlay.removeAll()
            state.pendingCountChange.removeAll()
        }
    }

    /// The latest call under `key`, and whether it (or its deletion) is a queued write rather than the published store.
    private func latest(_ key: Key) -> (call: Call?, queued: Bool) {
        state.withLock { state in
            if let queued = state.overlay[key] { return (queued.call, true) }
            return (state.store.call(organizationID: key.organizationID, callID: key.callID), false)
        }
    }

    /// Drops a failed write's queued state; later writes queued on top fail too (the journal refuses
    /// appends until it has recovered), so nothing stale survives.
    private func forget(token: UInt64) {
        state.withLock { state in
            state.overlay = state.overlay.filter { $0.value.token != token }
            if let index = state.queue[state.queueHead...].firstIndex(where: { $0.token == token }) {
                state.queue.remove(at: index)
            }
            if maxCallsPerOrganization != nil { Self.recount(&state) }
        }
    }

    /// 507: the write would take the organization past its quota.
    static func quotaExceeded(quota: Int, stored: Int, adding: Int) -> APIError {
        .quotaExceeded("This write would add \(adding) calls to the organization's \(stored) stored calls, over its quota of \(quota); "
            + "delete calls first or ask the operator to raise --max-calls-per-org.")
    }

    static let unavailable = APIError(
        status: 503, code: "unavailable",
        message: "The journal cannot make writes durable right now (disk full or I/O error); reads still work, retry later.")
}

extension CallRepository {
    /// Journals `mutations` as one record and waits until they are durable and visible (startup loads).
    func writeAndWait(_ mutations: [CallMutation]) throws {
        try Self.waitFor { completion in
            write({ (_: (String, String) -> Call?, _: Int64) throws(APIError) -> Decision<Void> in
                Decision(mutations: mutations, outcome: ())
            }, render: { $0 }, enforcingQuota: false, completion: completion)
        }
    }

    /// Starts work with a completion and waits for it; its failure is thrown.
    private static func waitFor(_ start: (@escaping @Sendable (Result<Void, APIError>) -> Void) -> Void) throws {
        let outcome = JournalWait<Result<Void, APIError>>()
        start { outcome.fulfil($0) }
        try outcome.wait().get()
    }
}

extension CallMutation {
    /// The organization the mutation changes.
    fileprivate var organizationID: String {
        switch self {
        case .upsert(let call): return call.organizationID
        case .delete(let organizationID, _, _): return organizationID
        }
    }
}
