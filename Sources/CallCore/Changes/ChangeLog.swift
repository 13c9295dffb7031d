/// Every organization's changes feed (API.md § "POST /api/calls/changes"), kept beside the store it describes: each
/// durable write appends its calls' new states and deletions in journal order, so the sequences are the same
/// whenever the journal is replayed, and the snapshot keeps them across compactions.
///
/// Tokens name a position as (epoch, sequence). An epoch is one server start on this data directory, journaled
/// before that start writes anything; a token is good only while the history it saw is a prefix of this one, so a
/// token from a directory restored from an older backup (its epoch unknown here, or its sequence past where that
/// epoch ends here) is told apart from a current one.
public struct ChangeLog: Sendable {
    var organizations: [String: OrganizationChanges] = [:]
    /// The random ids of the server starts this history went through, in order.
    private(set) var epochs: [UInt64] = []

    /// An empty log (a new data directory).
    public init() {}

    init(organizations: [String: OrganizationChanges], epochs: [UInt64]) {
        self.organizations = organizations
        self.epochs = epochs
    }

    /// The epoch tokens are issued in now (0 before any was begun).
    public var currentEpoch: UInt64 { epochs.last ?? 0 }

    /// The last sequence given to a change of `organizationID` (0: none yet).
    public func lastSequence(organizationID: String) -> UInt64 {
        organizations[organizationID]?.lastSequence ?? 0
    }

    /// Starts a new epoch: every change recorded after it belongs to it.
    public mutating func beginEpoch(_ id: UInt64) {
        epochs.append(id)
    }

    /// A log holding every call of `store` as an upsert, ordered by `updated_timestamp` (then organization and
    /// `call_id`): for a data directory written before the feed existed.
    public static func seeded(from store: IndexedCallStore) -> ChangeLog {
        var log = ChangeLog()
        for (organization, partition) in store.partitions {
            let calls = partition.liveCalls.sorted { ($0.updatedTimestamp, $0.callID) < ($1.updatedTimestamp, $1.callID) }
            var changes = OrganizationChanges()
            for call in calls { changes.append(call, deletedAt: ChangeEntry.notDeleted, epoch: -1, replacing: nil) }
            log.organizations[organization] = changes
        }
        return log
    }

    /// Records `entries` (journal records in order: batches applied on top of `before`, the store version they are
    /// applied to, and epoch marks), then drops superseded entries and deletions older than `oldestKept`
    /// (milliseconds) wherever they have piled up; with `oldestKept` nil (a bulk load) nothing is dropped yet.
    public mutating func record(_ entries: [JournalEntry], before: IndexedCallStore, oldestKept: Int64?) {
        var recorder = Recorder(before: before)
        for entry in entries {
            switch entry {
            case .epoch(let id): beginEpoch(id)
            case .mutations(let batch): for mutation in batch { recorder.apply(mutation, to: &self) }
            }
        }
        if let oldestKept { compact(recorder.touched, oldestKept: oldestKept) }
    }

    /// Compacts every organization's feed where it is due (after a replay, or a snapshot load).
    public mutating func compactAll(oldestKept: Int64) {
        compact(Set(organizations.keys), oldestKept: oldestKept)
    }

    /// Rewrites the feeds of `organizations` that hold more superseded entries than live ones (or deletions past
    /// their retention), so a page skips a bounded number of entries and memory follows the live calls.
    private mutating func compact(_ touched: Set<String>, oldestKept: Int64) {
        for organization in touched {
            guard let changes = organizations[organization] else { continue }
            guard changes.supersededCount > 1024 + changes.count / 2 || changes.oldestTombstone < oldestKept else { continue }
            organizations[organization] = changes.compacted(oldestKept: oldestKept)
        }
    }

    /// Applies mutations one by one, knowing each call's latest state within the batch.
    struct Recorder {
        let before: IndexedCallStore
        /// Calls written (or deleted: nil) earlier in the batch, by organization and `call_id`.
        var latest: [String: [String: Call?]] = [:]
        var touched = Set<String>()

        init(before: IndexedCallStore) {
            self.before = before
        }

        mutating func apply(_ mutation: CallMutation, to log: inout ChangeLog) {
            let epoch = log.epochs.count - 1
            switch mutation {
            case .upsert(let call):
                let previous = latestCall(call.organizationID, call.callID)
                latest[call.organizationID, default: [:]][call.callID] = .some(call)
                log.organizations[call.organizationID, default: OrganizationChanges()]
                    .append(call, deletedAt: ChangeEntry.notDeleted, epoch: epoch, replacing: previous)
                touched.insert(call.organizationID)
            case .delete(let organizationID, let callID, let deletedAt):
                let previous = latestCall(organizationID, callID)
                latest[organizationID, default: [:]][callID] = .some(nil)
                // Deleting what is not there changes nothing a copy holds.
                guard let previous else { return }
                log.organizations[organizationID, default: OrganizationChanges()]
                    .append(previous, deletedAt: max(deletedAt, previous.updatedTimestamp), epoch: epoch, replacing: previous)
                touched.insert(organizationID)
            }
        }

        /// The call stored under `callID` just before the mutation being recorded.
        private func latestCall(_ organizationID: String, _ callID: String) -> Call? {
            latest[organizationID]?[callID] ?? before.call(organizationID: organizationID, callID: callID)
        }
    }
}
