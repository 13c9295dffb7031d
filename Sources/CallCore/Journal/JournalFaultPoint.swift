/// A place in the journal's I/O where a test can make the next call fail.
enum JournalFaultPoint: Hashable, Sendable {
    /// Writing a batch to the segment (half the batch is written first, like a disk filling up mid-write).
    case segmentWrite
    /// `fdatasync` of the segment.
    case segmentSync
    /// `ftruncate` of the segment back to its last good length.
    case segmentTruncate
    /// Creating the next segment when rotating.
    case rotate
    /// Writing the snapshot's temporary file.
    case snapshotWrite
}
