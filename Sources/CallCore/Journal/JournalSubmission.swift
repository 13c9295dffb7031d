/// Work handed to the writer thread, processed strictly in the order it was queued.
enum JournalSubmission: Sendable {
    /// Records to make durable, and who to tell.
    case append([[UInt8]], @Sendable (Result<Void, JournalError>) -> Void)
    /// Start a new segment at the next sequence number; replies with that number.
    case rotate(@Sendable (Result<UInt64, JournalError>) -> Void)
    /// Try to leave the failed state now; replies whether the journal is healthy.
    case recover(@Sendable (Bool) -> Void)
    /// Finish everything queued before this, close the segment and end the thread.
    case stop
}
