extension Journal {
    /// One group commit as the `beforeCallbacks` hook sees it: the records just made durable, in append order.
    public struct Commit: Sendable {
        /// The sequence number of `records[0]`.
        public var firstSequence: UInt64
        /// Every record of the batches in this commit, in append order.
        public var records: [[UInt8]]

        /// The number the record after this commit will get; a state with this commit applied covers `..< endSequence`.
        public var endSequence: UInt64 { firstSequence + UInt64(records.count) }
    }

    /// How a journal behaves; the defaults suit the server.
    public struct Options: Sendable {
        /// Called on the writer thread after each group commit is durable and before any of its callbacks run,
        /// once per commit in sequence order, so the domain can publish the new state before a single
        /// acknowledgement goes out. Keep it short (the next write waits for it); it must not call the journal's
        /// blocking methods.
        public var beforeCallbacks: (@Sendable (Commit) -> Void)?
        /// How often the writer retries on its own to leave the failed state (truncate, sync); `nil` waits for
        /// `recoverIfPossible()`.
        public var retryInterval: Duration?
        /// The largest record accepted, in bytes; a bigger one is refused with `JournalError.invalidRecord`.
        public var maximumRecordLength: Int
        /// Whether replay reads the snapshot's payload into `Recovery.snapshot`; when false only
        /// `Recovery.snapshotLocation` is set and the caller reads the payload itself.
        public var readsSnapshotPayload: Bool

        /// Options with the given hook and limits.
        public init(
            beforeCallbacks: (@Sendable (Commit) -> Void)? = nil,
            retryInterval: Duration? = .seconds(1),
            maximumRecordLength: Int = 64 << 20,
            readsSnapshotPayload: Bool = true
        ) {
            self.beforeCallbacks = beforeCallbacks
            self.retryInterval = retryInterval
            self.readsSnapshotPayload = readsSnapshotPayload
            // The length field is a u32; keep a margin so a length can never wrap.
            self.maximumRecordLength = min(max(1, maximumRecordLength), Int(UInt32.max >> 1))
        }
    }

    /// Counters for tests and metrics.
    public struct Statistics: Sendable, Equatable {
        /// Successful `fdatasync` calls on log segments (one per group commit).
        public var syncs = 0
        /// `append` calls acknowledged as durable.
        public var acknowledgedAppends = 0
        /// Records made durable.
        public var durableRecords = 0
        /// Framed bytes written to log segments.
        public var bytesWritten = 0
        /// Group commits that failed (write or sync error); none of their appends were acknowledged.
        public var failedCommits = 0
        /// Times the journal left the failed state.
        public var recoveries = 0
        /// Log segments started (by compaction).
        public var rotations = 0
        /// Group-commit `fdatasync` calls by duration: one count per bound of `syncDurationBounds`, then one for
        /// the longer ones (not cumulative).
        public var syncDurationCounts = [Int](repeating: 0, count: Statistics.syncDurationBounds.count + 1)
        /// Time spent in those calls, in nanoseconds.
        public var syncNanoseconds: UInt64 = 0

        /// Upper bounds of the `fdatasync` duration buckets in nanoseconds: 50 µs (a cache that lies) to 10 s (a
        /// disk in trouble).
        public static let syncDurationBounds: [UInt64] = [
            50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 25_000_000, 50_000_000,
            100_000_000, 250_000_000, 500_000_000, 1_000_000_000, 2_500_000_000, 10_000_000_000,
        ]

        /// All zero.
        public init() {}
    }
}
