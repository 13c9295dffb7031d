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
}
