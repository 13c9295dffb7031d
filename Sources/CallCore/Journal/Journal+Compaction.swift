extension Journal {
    /// Replaces the snapshot with `snapshot`, which must reflect exactly the records numbered below `sequence`
    /// (e.g. the `endSequence` of the last `Commit` the domain applied), then drops the log segments it covers.
    public func compact(snapshot: [UInt8], upTo sequence: UInt64) throws(JournalError) {
        try compact(upTo: sequence) { writer throws(JournalError) in try writer.write(snapshot) }
    }

    /// Streaming form of `compact(snapshot:upTo:)`: `writeSnapshot` writes the payload piece by piece.
    ///
    /// Steps, each safe to crash after: (1) the writer starts a new segment at its next sequence `E >= sequence`,
    /// between two group commits, so appends are never blocked for the snapshot's duration; (2) the snapshot is
    /// written to a temporary file, synced, renamed into place and the directory synced; (3) segments whose every
    /// record is below the replaced snapshot are deleted. Replay reads the snapshot, then every later segment in order,
    /// skipping records it covers, so a record is always in the snapshot or in a live segment. When appends raced
    /// ahead (`E > sequence`) the segment holding `sequence ..< E` stays until the next compaction. The replaced
    /// snapshot stays as the previous one, and the segments since it stay (unread) until the next compaction too.
    public func compact(
        upTo sequence: UInt64, writeSnapshot: (JournalSnapshotWriter) throws(JournalError) -> Void
    ) throws(JournalError) {
        guard !core.isJournalThread else { throw JournalError.calledFromJournalThread }
        try beginCompaction(upTo: sequence)
        defer { core.state.withLock { $0.compacting = false } }

        let wait = JournalWait<Result<UInt64, JournalError>>()
        if let refusal = core.submit(.rotate { wait.fulfil($0) }) { throw refusal }
        _ = try wait.wait().get()

        try JournalSnapshotFile.write(
            in: core.directory, sequence: sequence, faults: core.faults, produce: writeSnapshot)

        let covered = core.state.withLock { state -> [JournalSegmentInfo] in
            state.snapshotSequence = sequence
            // The segments kept for the old previous snapshot are below the new previous one (the snapshot just
            // replaced): nothing needs them. Those below the new snapshot are kept in their place.
            let covered = state.retained
            state.retained = []
            // The newest segment is never below the snapshot: it is where appends go.
            while state.segments.count >= 2 && state.segments[1].start <= sequence {
                state.retained.append(state.segments.removeFirst())
            }
            return covered
        }
        // The snapshot is durable, so these deletions need no care for order or failure: a segment left behind is
        // recognised as covered and removed by the next replay.
        for segment in covered { _ = try? JournalPOSIX.unlink(segment.path) }
        if !covered.isEmpty { try? core.directory.sync() }
    }

    /// Checks the requested sequence and marks a compaction as running (one at a time).
    private func beginCompaction(upTo sequence: UInt64) throws(JournalError) {
        let refusal = core.state.withLock { state -> JournalError? in
            if state.compacting { return .invalidCompaction("another compaction is running") }
            if !state.accepting { return .closed }
            if sequence < state.snapshotSequence {
                return .invalidCompaction(
                    "the snapshot would cover records below \(sequence), older than the current one (\(state.snapshotSequence))")
            }
            if sequence > state.durableSequence {
                return .invalidCompaction(
                    "the snapshot claims records below \(sequence), but only those below \(state.durableSequence) are durable")
            }
            state.compacting = true
            return nil
        }
        if let refusal { throw refusal }
    }
}
