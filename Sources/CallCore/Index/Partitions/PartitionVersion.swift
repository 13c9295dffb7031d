/// One organization at one version: an immutable indexed base, plus the runs of writes made since it was built.
/// Versions share everything they have in common; a write creates a new version and leaves this one intact.
final class PartitionVersion: Sendable {
    /// The indexed calls as of the last rebuild.
    let base: BasePartition
    /// Writes since, oldest run first.
    let runs: [DeltaRun]
    /// How many runs of similar size are merged into one.
    private static let runsMergedTogether = 4
    /// The sequence the next write gets.
    let nextSequence: Int
    /// Calls visible in this version.
    let liveCount: Int
    /// The rebuild of this lineage's base running in the background, if any.
    let rebuild: BackgroundRebuild?

    init(base: BasePartition, runs: [DeltaRun] = [], nextSequence: Int = 0, liveCount: Int? = nil, rebuild: BackgroundRebuild? = nil) {
        self.base = base
        self.runs = runs
        self.nextSequence = nextSequence
        self.liveCount = liveCount ?? base.rowCount
        self.rebuild = rebuild
    }

    /// Entries plus replaced base rows held in the runs: what queries pay for on top of the base.
    var deltaSize: Int { runs.reduce(0) { $0 + $1.entries.count + $1.killedBaseRows.count } }

    /// Where a call_id currently lives.
    private enum Location {
        case entry(DeltaEntry)
        case base(Int)
        case absent
    }

    private func locate(_ callID: String) -> Location {
        for run in runs.reversed() {
            if let entry = run.entry(callID: callID) { return .entry(entry) }
        }
        // A replaced or deleted base row always has an entry (or a deletion mark) in some run.
        if let row = base.row(callID: callID) { return .base(row) }
        return .absent
    }

    /// The visible call with `callID`, if any.
    func call(callID: String) -> Call? {
        switch locate(callID) {
        case .entry(let entry): return entry.call
        case .base(let row): return base.calls[row]
        case .absent: return nil
        }
    }

    /// Every visible call (base rows not replaced, then live entries).
    var liveCalls: [Call] {
        let view = DeltaView(runs)
        var calls: [Call] = []
        calls.reserveCapacity(liveCount)
        var dead = RowListCursor(view.killedBaseRows[...])
        for (row, call) in base.calls.enumerated() where !dead.contains(UInt32(truncatingIfNeeded: row)) {
            calls.append(call)
        }
        view.forEachLiveEntry { _, _, entry in
            if let call = entry.pointee.call { calls.append(call) }
        }
        return calls
    }

    /// This version with `mutations` (all of this organization) applied in order. When the delta passes the
    /// threshold a rebuild of the base starts in the background; a later write adopts it (see `adoptingRebuild`).
    /// A write never waits for a rebuild: while one runs the delta keeps growing, and queries pay for it in
    /// proportion (tens of nanoseconds per entry) until the next write after it lands adopts the new base.
    func applying(_ mutations: [CallMutation], options: IndexedCallStore.Options) -> PartitionVersion {
        let next = appending(mutations.map { mutation in
            switch mutation {
            case .upsert(let call): return (callID: call.callID, call: call)
            case .delete(_, let callID, _): return (callID: callID, call: nil)
            }
        })
        if let rebuild = next.rebuild {
            rebuild.follow(next)
            return next
        }
        guard next.deltaSize > options.rebuildThreshold(baseRows: next.base.rowCount) else { return next }
        guard options.rebuildInBackground else { return PartitionVersion(base: BasePartitionBuilder.build(calls: next.liveCalls)) }
        return next.with(rebuild: BackgroundRebuild(snapshot: next))
    }

    /// This version on the rebuilt base, if its background rebuild is done: the writes the rebuild has not
    /// caught up with are replayed on it, in order.
    func adoptingRebuild() -> PartitionVersion {
        guard let ready = rebuild?.ready else { return self }
        return ready.version.replaying(self, from: ready.covered)
    }

    /// This version with the writes of `source` numbered `from` or later appended, in their order. Writes `source`
    /// no longer holds were superseded by later ones it does hold, so the outcome is the same.
    func replaying(_ source: PartitionVersion, from sequence: Int) -> PartitionVersion {
        var later: [DeltaEntry] = []
        for run in source.runs {
            for entry in run.entries where entry.sequence >= sequence { later.append(entry) }
        }
        later.sort { $0.sequence < $1.sequence }
        return appending(later.map { (callID: $0.callID, call: $0.call) })
    }

    private func with(rebuild: BackgroundRebuild) -> PartitionVersion {
        PartitionVersion(base: base, runs: runs, nextSequence: nextSequence, liveCount: liveCount, rebuild: rebuild)
    }

    /// This version with `writes` (a call, or nil to delete the call_id) added to the delta, in order.
    private func appending(_ writes: [(callID: String, call: Call?)]) -> PartitionVersion {
        var entries: [DeltaEntry] = []
        var positions: [String: Int] = [:]
        // A large batch (an import) grows neither by copying itself.
        entries.reserveCapacity(writes.count)
        positions.reserveCapacity(writes.count)
        var killedBase: [UInt32] = []
        var killedSequences: [Int] = []
        var live = liveCount
        var sequence = nextSequence
        var folder = WordFolder()
        for (callID, call) in writes {
            let wasLive: Bool
            if let position = positions[callID] {
                // Written earlier in this batch: that entry's own kills still hold, it is simply replaced.
                wasLive = entries[position].call != nil
                entries[position] = DeltaEntry(sequence: sequence, callID: callID, call: call, base: base, folder: &folder)
            } else {
                switch locate(callID) {
                case .entry(let entry):
                    wasLive = entry.call != nil
                    if wasLive { killedSequences.append(entry.sequence) }
                case .base(let row):
                    wasLive = true
                    killedBase.append(UInt32(truncatingIfNeeded: row))
                case .absent:
                    wasLive = false
                }
                // Deleting what does not exist changes nothing and needs no mark.
                if call != nil || wasLive {
                    positions[callID] = entries.count
                    entries.append(DeltaEntry(sequence: sequence, callID: callID, call: call, base: base, folder: &folder))
                }
            }
            live += (call == nil ? 0 : 1) - (wasLive ? 1 : 0)
            sequence += 1
        }
        guard !entries.isEmpty else { return self }
        var runs = self.runs
        runs.append(DeltaRun(entries: entries, killedBaseRows: killedBase.sorted(), killedSequences: killedSequences.sorted()))
        // Merge the last few runs once they are of similar size, so a version holds O(log n) runs and each entry
        // is copied O(log n) times: with four at a time, about four copies per entry over a delta of thousands
        // (two at a time copied each about ten times), for about twice the runs a lookup visits.
        let tier = Self.runsMergedTogether
        while runs.count >= tier, runs[runs.count - tier].entries.count <= 2 * runs[runs.count - 1].entries.count {
            let group = runs[(runs.count - tier)...]
            let merged = DeltaRun.merged(group)
            runs.removeLast(tier)
            runs.append(merged)
        }
        return PartitionVersion(base: base, runs: runs, nextSequence: sequence, liveCount: live, rebuild: rebuild)
    }
}
