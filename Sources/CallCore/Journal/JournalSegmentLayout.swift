/// Which segments a start reads and which it leaves alone. A segment all of whose records are below the snapshot
/// is not read; it is kept while the previous snapshot needs it (so `salvage` can rebuild from that snapshot if the
/// current one is damaged), and removed once it is below the previous snapshot too.
struct JournalSegmentLayout {
    /// Segments holding records at or after the snapshot, oldest first: replay reads these.
    var replayed: [JournalSegmentInfo] = []
    /// Segments below the snapshot but not below the previous one (or all of them when there is no readable previous
    /// snapshot): kept, unread.
    var retained: [JournalSegmentInfo] = []
    /// Segments below the previous snapshot: no snapshot needs them.
    var covered: [JournalSegmentInfo] = []

    /// Sorts `segments` (oldest first) by what the snapshots cover.
    init(segments: [JournalSegmentInfo], snapshotSequence: UInt64, previousSnapshotSequence: UInt64?) {
        for (index, segment) in segments.enumerated() {
            // A segment's records end where its successor's begin; the newest one is always read.
            let end = index + 1 < segments.count ? segments[index + 1].start : nil
            if let end, let previous = previousSnapshotSequence, end <= previous, previous <= snapshotSequence {
                covered.append(segment)
            } else if let end, end <= snapshotSequence {
                retained.append(segment)
            } else {
                replayed.append(segment)
            }
        }
    }
}
