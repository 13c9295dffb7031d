/// One organization's changes feed: its entries in sequence order, each call (by `id`) live in at most one of
/// them (its latest write), and what a `since` token is checked against.
///
/// A value: readers hold one consistently with the store version it was published with, and entries superseded
/// by a later write stay in place until `compacted`, which drops them (a page tells them apart by asking the store
/// whether it still holds that very call).
struct OrganizationChanges: Sendable {
    /// Where an organization's changes begin in one server start (an epoch of `ChangeLog`).
    struct EpochStart: Sendable, Equatable {
        /// The epoch's index in `ChangeLog.epochs`.
        var epoch: Int
        /// The organization's first sequence written in it.
        var firstSequence: UInt64
    }

    private(set) var chunks: [ChangeChunk] = []
    /// Entries held (live and superseded).
    private(set) var count = 0
    /// The last sequence given to a change of this organization (0: none yet).
    private(set) var lastSequence: UInt64 = 0
    /// Deletion entries held.
    private(set) var tombstones = 0
    /// The highest sequence of a deletion dropped for age: a `since` below it may have missed that deletion.
    private(set) var expiredThrough: UInt64 = 0
    /// The oldest deletion held (milliseconds), `Int64.max` when none.
    private(set) var oldestTombstone = Int64.max
    /// For each server start in which this organization changed, its first sequence, in order.
    private(set) var epochStarts: [EpochStart] = []

    init() {}

    /// A feed restored from a snapshot; `entries` in increasing sequence order.
    init(entries: [ChangeEntry], lastSequence: UInt64, expiredThrough: UInt64, epochStarts: [EpochStart]) {
        for entry in entries { place(entry) }
        self.lastSequence = lastSequence
        self.expiredThrough = expiredThrough
        self.epochStarts = epochStarts
    }

    /// The entry at `index` (below `count`).
    func entry(at index: Int) -> ChangeEntry {
        chunks[index / ChangeChunk.capacity].entry(index % ChangeChunk.capacity)
    }

    /// The index of the first entry with a sequence above `sequence` (`count` when none).
    func firstIndex(after sequence: UInt64) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if entry(at: middle).sequence <= sequence { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Records a change of `call` (deleted at `deletedAt`, or `ChangeEntry.notDeleted`) as the next sequence,
    /// written in epoch `epoch` (-1: before epochs were recorded).
    mutating func append(_ call: Call, deletedAt: Int64, epoch: Int) {
        lastSequence += 1
        if epoch >= 0 && epochStarts.last?.epoch != epoch {
            epochStarts.append(EpochStart(epoch: epoch, firstSequence: lastSequence))
        }
        place(ChangeEntry(sequence: lastSequence, call: call, deletedAt: deletedAt))
    }

    /// The last sequence written in epoch `epoch` or before it: where the history a token of that epoch saw ends.
    func lastSequence(throughEpoch epoch: Int) -> UInt64 {
        guard let next = epochStarts.first(where: { $0.epoch > epoch }) else { return lastSequence }
        return next.firstSequence - 1
    }

    /// Entries that are neither live calls nor deletions held: superseded writes, to be dropped by `compacted`.
    func superseded(liveCalls: Int) -> Int {
        count - liveCalls - tombstones
    }

    /// The feed with only the entries `isLive` keeps and the deletions no older than `oldestKept` (milliseconds).
    func compacted(oldestKept: Int64, isLive: (Call) -> Bool) -> OrganizationChanges {
        var kept = OrganizationChanges()
        kept.lastSequence = lastSequence
        kept.expiredThrough = expiredThrough
        kept.epochStarts = epochStarts
        for index in 0..<count {
            let entry = entry(at: index)
            if entry.isDeletion {
                if entry.deletedAt < oldestKept {
                    kept.expiredThrough = max(kept.expiredThrough, entry.sequence)
                    continue
                }
            } else if !isLive(entry.call) {
                continue
            }
            kept.place(entry)
        }
        return kept
    }

    /// Appends `entry` after the last one, into a chunk of this value's own when the last chunk was written past
    /// this value by another (so two values never write one slot).
    private mutating func place(_ entry: ChangeEntry) {
        let offset = count % ChangeChunk.capacity
        if offset == 0 {
            chunks.append(ChangeChunk())
        } else if let last = chunks.last, last.written != offset {
            let copy = ChangeChunk()
            for index in 0..<offset { copy.append(last.entry(index)) }
            chunks[chunks.count - 1] = copy
        }
        chunks[chunks.count - 1].append(entry)
        count += 1
        if entry.isDeletion {
            tombstones += 1
            oldestTombstone = min(oldestTombstone, entry.deletedAt)
        }
    }
}
