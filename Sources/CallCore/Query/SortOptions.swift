/// The field a list is ordered by.
public enum SortField: String, Sendable, CaseIterable {
    /// `start_timestamp` (always known).
    case startTimestamp = "start_timestamp"
    /// `end_timestamp` (unknown for unfinished calls, which sort last).
    case endTimestamp = "end_timestamp"
    /// `call_duration` (unknown for unfinished calls, which sort last).
    case callDuration = "call_duration"
    /// `call_id`, compared byte by byte (it is ASCII).
    case callID = "call_id"
    /// `updated_timestamp` (always known).
    case updatedTimestamp = "updated_timestamp"
}

/// The direction of a list's order; echoed as `ascending`/`descending`.
public enum SortOrder: String, Sendable, CaseIterable {
    /// Smallest first.
    case ascending
    /// Largest first.
    case descending

    /// Parses the accepted spellings exactly: `ascending`, `asc`, `descending`, `desc`.
    public init?(wireName: String) {
        switch wireName {
        case "ascending", "asc": self = .ascending
        case "descending", "desc": self = .descending
        default: return nil
        }
    }
}
