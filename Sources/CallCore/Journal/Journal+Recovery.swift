extension Journal {
    /// What startup replay found: the latest snapshot and the records written after it, ready to apply in order.
    public struct Recovery: Sendable {
        /// The latest snapshot's payload, or `nil` when no compaction has happened yet.
        public var snapshot: [UInt8]?
        /// The latest snapshot's file, header checked, payload unread; `nil` when there is no snapshot.
        public var snapshotLocation: JournalSnapshotLocation?
        /// The snapshot reflects exactly the records numbered below this (0 without a snapshot).
        public var snapshotSequence: UInt64
        /// Records numbered `snapshotSequence ..< nextSequence`, in append order, to apply on top of the snapshot.
        public var records: [[UInt8]]
        /// Bytes dropped from the end of the log because they held a torn or damaged record (0 after a clean stop).
        public var droppedTailBytes: Int
        /// One line per notable thing replay saw or did (dropped tail, removed leftovers), for the server's log.
        public var diagnostics: [String]

        /// The number the next appended record will get.
        public var nextSequence: UInt64 { snapshotSequence + UInt64(records.count) }
    }
}
