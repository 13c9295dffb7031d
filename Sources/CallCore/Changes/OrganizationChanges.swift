import Synchronization

/// One organization's changes feed: its entries in sequence order, each call (by `id`) live in at most one of
/// them (its latest write), and what a `since` token is checked against.
///
/// A value: readers hold one consistently with the store version it was published with. An entry superseded by a
/// later write is marked in a bitmap of its chunk (copied on write, so a reader's marks never change under it) and
/// stays in place until `compacted` drops it.
struct OrganizationChanges: Sendable {
    /// Where an organization's changes begin in one server start (an epoch of `ChangeLog`).
    struct EpochStart: Sendable, Equatable {
        /// The epoch's index in `ChangeLog.epochs`.
        var epoch: Int
        /// The organization's first sequence written in it.
        var firstSequence: UInt64
    }

    private(set) var chunks: [ChangeChunk] = []
    /// Per chunk, a bit per entry: set once a later write superseded it.
    private var superseded: [[UInt64]] = []
    /// Entries held (live and superseded).
    private(set) var count = 0
    /// Entries marked superseded.
    private(set) var supersededCount = 0
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

    /// A feed being restored from a snapshot, its entries given next by `restore`.
    init(lastSequence: UInt64, expiredThrough: UInt64, epochStarts: [EpochStart]) {
        self.lastSequence = lastSequence
        self.expiredThrough = expiredThrough
        self.epochStarts = epochStarts
    }

    /// Appends a live entry read from a snapshot (in increasing sequence order, none above `lastSequence`).
    mutating func restore(_ entry: ChangeEntry) {
        if !entry.isDeletion { entry.call.box.changeSequence.store(entry.sequence, ordering: .relaxed) }
        place(entry)
    }

    /// The entry at `index` (below `count`).
    func entry(at index: Int) -> ChangeEntry {
        assert(index >= 0 && index < count, "readers read only below their count, where every slot is initialized")
        return chunks[index / ChangeChunk.capacity].entry(index % ChangeChunk.capacity)
    }

    /// Whether the entry at `index` is its call's latest (or a deletion): what a page returns.
    func isLive(_ index: Int) -> Bool {
        let offset = index % ChangeChunk.capacity
        return superseded[index / ChangeChunk.capacity][offset / 64] & (1 << UInt64(offset % 64)) == 0
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
    /// written in epoch `epoch` (-1: before epochs were recorded); the entry of `previous` (the version it replaces
    /// or deletes), if this feed holds one, is marked superseded.
    mutating func append(_ call: Call, deletedAt: Int64, epoch: Int, replacing previous: Call?) {
        if let previous { markSuperseded(previous) }
        lastSequence += 1
        if epoch >= 0 && epochStarts.last?.epoch != epoch {
            epochStarts.append(EpochStart(epoch: epoch, firstSequence: lastSequence))
        }
        let entry = ChangeEntry(sequence: lastSequence, call: call, deletedAt: deletedAt)
        if !entry.isDeletion { call.box.changeSequence.store(lastSequence, ordering: .relaxed) }
        place(entry)
    }

    /// The last sequence written in epoch `epoch` or before it: where the history a token of that epoch saw ends.
    func lastSequence(throughEpoch epoch: Int) -> UInt64 {
        guard let next = epochStarts.first(where: { $0.epoch > epoch }) else { return lastSequence }
        return next.firstSequence - 1
    }

    /// The feed without superseded entries and without deletions older than `oldestKept` (milliseconds).
    func compacted(oldestKept: Int64) -> OrganizationChanges {
        var kept = OrganizationChanges()
        kept.lastSequence = lastSequence
        kept.expiredThrough = expiredThrough
        kept.epochStarts = epochStarts
        for index in 0..<count where isLive(index) {
            let entry = entry(at: index)
            if entry.isDeletion && entry.deletedAt < oldestKept {
                kept.expiredThrough = max(kept.expiredThrough, entry.sequence)
                continue
            }
            kept.place(entry)
        }
        return kept
    }

    /// Marks the upsert entry that recorded `call` (this very version) superseded, if this feed holds it live.
    private mutating func markSuperseded(_ call: Call) {
        let sequence = call.box.changeSequence.load(ordering: .relaxed)
        guard sequence > 0 else { return }
        let index = firstIndex(after: sequence - 1)
        guard index < count, entry(at: index).sequence == sequence, isLive(index), !entry(at: index).isDeletion else { return }
        let offset = index % ChangeChunk.capacity
        superseded[index / ChangeChunk.capacity][offset / 64] |= 1 << UInt64(offset % 64)
        supersededCount += 1
    }

    /// Appends `entry` after the last one, into a chunk of this value's own when the last chunk was written past
    /// this value by another (so two values never write one slot).
    private mutating func place(_ entry: ChangeEntry) {
        let offset = count % ChangeChunk.capacity
        if offset == 0 {
            chunks.append(ChangeChunk())
            superseded.append([UInt64](repeating: 0, count: ChangeChunk.capacity / 64))
        } else if let last = chunks.last, last.written != offset {
            let copy = ChangeChunk()
            for index in 0..<offset { copy.append(last.entry(index)) }
            chunks[chunks.count - 1] = copy
        }
        // Single writer: this value appends only to a chunk it wrote up to its own count.
        assert(chunks[chunks.count - 1].written == offset, "the last chunk was written exactly up to this value's count")
        chunks[chunks.count - 1].append(entry)
        count += 1
        if entry.isDeletion {
            tombstones += 1
            oldestTombstone = min(oldestTombstone, entry.deletedAt)
        }
    }
}
