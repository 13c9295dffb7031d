import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// The writer thread's loop: takes everything queued since the last flush, writes it as one group frame (one
/// `pwrite`, plus one for each large record written from its own storage), `fdatasync`s once, publishes, runs the `beforeCallbacks` hook, then acknowledges each append in order.
/// Only the writer thread touches this object, so its segment descriptor and group bytes need no lock.
///
/// Hooks and callbacks run here rather than on a separate completion thread on purpose: while the writer wakes
/// the appenders of one commit, they queue their next appends, so the next group is large. Measured with 64
/// writers on 2 cores, handing notifications to another thread made groups half as big and throughput half as high.
final class JournalWriter {
    /// Where the writer starts: the open newest segment, as replay left it.
    struct Start: Sendable {
        var descriptor: Int32
        var segmentStart: UInt64
        var salt: JournalSalt
        var path: String
        var goodLength: Int
        var nextSequence: UInt64
    }

    private let core: JournalCore
    private var descriptor: Int32
    private var path: String
    private var segmentStart: UInt64
    private var salt: JournalSalt
    /// Bytes of the segment known durable; after a failure the file is cut back to this before anything else.
    private var goodLength: Int
    private var nextSequence: UInt64
    private var failed = false
    private var bytes = JournalGroupBytes()

    init(core: JournalCore, start: Start) {
        self.core = core
        descriptor = start.descriptor
        path = start.path
        segmentStart = start.segmentStart
        salt = start.salt
        goodLength = start.goodLength
        nextSequence = start.nextSequence
    }

    /// Runs until a `.stop` submission; then closes the segment and signals `core.finished`.
    func run() {
        core.state.withLock { $0.writerThread = pthread_self() }
        defer {
            JournalPOSIX.close(descriptor)
            core.directory.releaseJournal()
            core.finished.signal()
        }
        while true {
            let work = core.takeWork(timeout: failed ? core.options.retryInterval : nil)
            if work.isEmpty {
                // Only a timeout returns nothing, and only while failed: the periodic retry.
                if failed { _ = recover() }
                continue
            }
            var group: [([[UInt8]], @Sendable (Result<Void, JournalError>) -> Void)] = []
            for submission in work {
                switch submission {
                case .append(let records, let callback):
                    group.append((records, callback))
                case .rotate(let reply):
                    commit(group)
                    group.removeAll()
                    reply(rotate())
                case .recover(let reply):
                    commit(group)
                    group.removeAll()
                    reply(failed ? recover() : true)
                case .stop:
                    commit(group)
                    return
                }
            }
            commit(group)
        }
    }

    /// Makes a group of appends durable with one write and one sync, or fails all of them.
    private func commit(_ group: [([[UInt8]], @Sendable (Result<Void, JournalError>) -> Void)]) {
        guard !group.isEmpty else { return }
        guard !failed else {
            // Queued before the failure was noticed: refused in order, none written.
            notify(group, .failure(.unavailable))
            return
        }
        // One frame for the whole group, so replay knows the extent of a write a crash may have torn. A group of
        // empty appends (barriers) writes nothing at all: a frame of no records would be a gap on disk.
        var recordCount = 0
        var byteCount = 0
        var syncNanoseconds: UInt64 = 0
        if group.contains(where: { !$0.0.isEmpty }) {
            bytes.frame(group.lazy.flatMap(\.0), firstSequence: nextSequence, salt: salt)
            recordCount = bytes.recordCount
            byteCount = bytes.byteCount
            defer { bytes.release() }
            do {
                syncNanoseconds = try writeAndSync()
            } catch {
                fail(group, with: JournalError(error))
                return
            }
        }
        let firstSequence = nextSequence
        goodLength += byteCount
        nextSequence += UInt64(recordCount)
        if recordCount > 0 {
            core.publishCommit(
                durableSequence: nextSequence, segmentBytes: goodLength, appends: group.count,
                records: recordCount, bytes: byteCount, syncNanoseconds: syncNanoseconds)
        }
        if recordCount > 0, let hook = core.options.beforeCallbacks {
            hook(Journal.Commit(firstSequence: firstSequence, records: group.flatMap { $0.0 }))
        }
        notify(group, .success(()))
    }

    /// Writes the framed group after the last good byte and syncs it; returns how long the sync took, in
    /// nanoseconds.
    private func writeAndSync() throws(JournalPOSIXFailure) -> UInt64 {
        if let code = core.faults.take(.segmentWrite) {
            // Simulates a disk that fills up mid-batch: half the bytes land, then the write fails.
            try write(limit: bytes.byteCount / 2)
            throw JournalPOSIXFailure(operation: "pwrite", path: path, code: code)
        }
        try write(limit: bytes.byteCount)
        try core.faults.check(.segmentSync, operation: "fdatasync", path: path)
        let syncStart = DispatchTime.now().uptimeNanoseconds
        try JournalPOSIX.dataSync(descriptor, path: path)
        return DispatchTime.now().uptimeNanoseconds &- syncStart
    }

    /// Writes the first `limit` bytes of the framed group after the last good byte, piece by piece.
    private func write(limit: Int) throws(JournalPOSIXFailure) {
        var position = goodLength
        var remaining = limit
        var failure: JournalPOSIXFailure?
        bytes.forEachPiece { piece in
            let piece = UnsafeRawBufferPointer(rebasing: piece.prefix(remaining))
            do throws(JournalPOSIXFailure) {
                try JournalPOSIX.writeAll(descriptor, piece, at: position, path: path)
            } catch {
                failure = error
                return false
            }
            position += piece.count
            remaining -= piece.count
            return remaining > 0
        }
        if let failure { throw failure }
    }

    /// Enters the failed state, cuts the partial write off at once (recovery repeats the cut and syncs it before
    /// the journal takes writes again), then refuses the group: by the time a caller hears of the failure, later
    /// appends are already refused and the unacknowledged bytes are gone from the file if the disk allowed it.
    private func fail(_ group: [([[UInt8]], @Sendable (Result<Void, JournalError>) -> Void)], with error: JournalError) {
        failed = true
        core.enterFailure(error)
        try? cutBack()
        notify(group, .failure(error))
    }

    /// Delivers one outcome to every append of a group, in order.
    private func notify(
        _ group: [([[UInt8]], @Sendable (Result<Void, JournalError>) -> Void)], _ result: Result<Void, JournalError>
    ) {
        for (_, callback) in group { callback(result) }
    }

    /// Truncates the segment to its last good length and syncs that. After a failed `fdatasync` the kernel may
    /// have dropped the dirty pages, so the only state we trust is the one we last synced successfully.
    private func cutBack() throws(JournalPOSIXFailure) {
        try core.faults.check(.segmentTruncate, operation: "ftruncate", path: path)
        try JournalPOSIX.truncate(descriptor, to: goodLength, path: path)
        try JournalPOSIX.dataSync(descriptor, path: path)
    }

    /// Tries to leave the failed state; true when the journal is healthy again.
    private func recover() -> Bool {
        do {
            try cutBack()
        } catch {
            return false
        }
        failed = false
        core.leaveFailure()
        return true
    }

    /// Starts a new segment at the next sequence number; everything before it is already durable in the old one.
    private func rotate() -> Result<UInt64, JournalError> {
        guard !failed else { return .failure(.unavailable) }
        // An empty segment already starts at the next sequence: nothing to rotate away from.
        guard goodLength > 0 else { return .success(segmentStart) }
        let segment = JournalSegmentInfo.fresh(start: nextSequence, in: core.directory)
        // On failure the old segment is intact and still open: the journal stays healthy, only the caller fails.
        if let code = core.faults.take(.rotate) {
            return .failure(JournalError(JournalPOSIXFailure(operation: "open", path: segment.path, code: code)))
        }
        let newDescriptor: Int32
        do {
            newDescriptor = try JournalReplay.createSegment(segment, in: core.directory)
        } catch {
            return .failure(error)
        }
        JournalPOSIX.close(descriptor)
        descriptor = newDescriptor
        path = segment.path
        segmentStart = segment.start
        salt = segment.salt ?? salt
        goodLength = 0
        core.addSegment(segment)
        return .success(segment.start)
    }
}
