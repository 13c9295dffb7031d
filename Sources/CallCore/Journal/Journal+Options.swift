extension Journal {
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
}
