/// Why a journal operation failed.
public enum JournalError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The journal is in its failed state after a write or sync error; writes are refused until it recovers.
    case unavailable
    /// The journal (or its data directory) was closed.
    case closed
    /// A journal is already open on this data directory in this process.
    case alreadyOpen
    /// A system call failed; the affected batch was not acknowledged.
    case io(operation: String, path: String, errno: Int32, reason: String)
    /// A record cannot be framed (empty, or larger than `Journal.maximumRecordLength`).
    case invalidRecord(String)
    /// The files on disk are damaged in a way a crash cannot explain; replay refuses to guess.
    case corrupt(String)
    /// A compaction request was inconsistent (a sequence outside the journal's range) or overlapped another.
    case invalidCompaction(String)
    /// A blocking call was made on the journal's writer thread (from a callback or hook), which would deadlock.
    case calledFromJournalThread

    /// A sentence a person can act on.
    public var description: String {
        switch self {
        case .unavailable:
            return "the journal is unavailable after a write failure; writes are refused until it recovers"
        case .closed:
            return "the journal is closed"
        case .alreadyOpen:
            return "a journal is already open on this data directory"
        case .io(let operation, let path, let code, let reason):
            return "\(operation) failed on \(path): \(reason) (errno \(code))"
        case .invalidRecord(let why):
            return "invalid journal record: \(why)"
        case .corrupt(let why):
            return "journal data is corrupt: \(why)"
        case .invalidCompaction(let why):
            return "compaction refused: \(why)"
        case .calledFromJournalThread:
            return "a blocking journal call was made from the journal's writer thread (a callback or hook)"
        }
    }

    /// The description without the kind's preamble, for a message that adds its own.
    var detail: String {
        if case .corrupt(let why) = self { return why }
        return description
    }

    init(_ failure: JournalPOSIXFailure) {
        self = .io(operation: failure.operation, path: failure.path, errno: failure.code, reason: failure.reason)
    }
}
