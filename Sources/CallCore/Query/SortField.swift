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
