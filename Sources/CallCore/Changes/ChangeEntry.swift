/// One entry of an organization's changes feed: a call as a durable write left it, or its deletion.
struct ChangeEntry: Sendable {
    /// Marks an entry that is not a deletion (`deletedAt` of an upsert).
    static let notDeleted = Int64.min

    /// The entry's place in its organization's history (1, 2, …, in the order the writes became durable).
    var sequence: UInt64
    /// The call as the write stored it; for a deletion, as it was when deleted (its `id` and `call_id`).
    var call: Call
    /// When the call was deleted (milliseconds), or `notDeleted`.
    var deletedAt: Int64

    /// Whether the entry records a deletion.
    var isDeletion: Bool { deletedAt != Self.notDeleted }
}
