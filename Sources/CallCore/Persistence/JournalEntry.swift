/// What one journal record holds, as replay reads it.
public enum JournalEntry: Sendable, Equatable {
    /// A batch of store changes, applied all or nothing.
    case mutations([CallMutation])
    /// The start of a server run (an epoch of the changes feed).
    case epoch(UInt64)
}
