extension Journal {
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
