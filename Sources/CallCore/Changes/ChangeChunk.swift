/// A fixed block of entries that only its one writer appends to, and only past what any reader was shown.
///
/// Readers hold a `OrganizationChanges` value whose `count` was published under the repository's lock after the
/// entries below it were written; they read only below it, while the writer initializes slots above it. So no slot
/// is ever read and written at once, which is what makes the unchecked `Sendable` sound. A writer appending to a
/// value that is not the latest (its count below the chunk's) copies the chunk first instead (`OrganizationChanges`).
final class ChangeChunk: @unchecked Sendable {
    static let capacity = 4096

    private let entries: UnsafeMutablePointer<ChangeEntry>
    /// Slots initialized so far (the writer's count, never a reader's).
    private(set) var written = 0

    init() {
        entries = .allocate(capacity: Self.capacity)
    }

    deinit {
        entries.deinitialize(count: written)
        entries.deallocate()
    }

    /// The entry at `offset` (below the reader's published count, so initialized and never written again).
    func entry(_ offset: Int) -> ChangeEntry {
        // `written` is the writer's and may be changing: the reader's own bound is checked by `OrganizationChanges`.
        assert(offset >= 0 && offset < Self.capacity, "a slot of the chunk")
        return entries[offset]
    }

    /// Initializes the next slot; the caller checked `written < capacity`.
    func append(_ entry: ChangeEntry) {
        assert(written < Self.capacity, "the caller checked written < capacity")
        (entries + written).initialize(to: entry)
        written += 1
    }
}
