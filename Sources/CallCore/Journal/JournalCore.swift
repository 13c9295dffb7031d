#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Locking

/// The state shared by appenders, the writer thread and compaction. One lock guards all of it; it is held only
/// to queue, to take the queue, or to read or publish a few numbers, never across I/O.
final class JournalCore: Sendable {
    struct State {
        var queue: [JournalSubmission] = []
        /// False once `close()` was called: nothing more is queued.
        var accepting = true
        /// Set while the journal is in its failed state; appends are refused fast.
        var failure: JournalError?
        /// Every record numbered below this is durable.
        var durableSequence: UInt64
        /// The snapshot on disk reflects the records numbered below this.
        var snapshotSequence: UInt64
        /// Live segments, oldest first; the last is the one being appended to.
        var segments: [JournalSegmentInfo]
        /// Segments below the snapshot, kept for the previous snapshot until the next compaction.
        var retained: [JournalSegmentInfo]
        var statistics = Journal.Statistics()
        /// The writer thread, where blocking on the journal would deadlock.
        var writerThread: pthread_t?
        var compacting = false
    }

    let state: Locked<State>
    /// Signalled once per queued submission; the writer sleeps on it when the queue is empty.
    let wakeup = DispatchSemaphore(value: 0)
    /// Signalled by the writer thread as it exits.
    let finished = DispatchSemaphore(value: 0)
    let directory: DataDirectory
    let faults = JournalFaults()
    let options: Journal.Options

    init(
        directory: DataDirectory, options: Journal.Options, recovery: Journal.Recovery, segments: [JournalSegmentInfo],
        retained: [JournalSegmentInfo]
    ) {
        self.directory = directory
        self.options = options
        state = Locked(
            State(durableSequence: recovery.nextSequence, snapshotSequence: recovery.snapshotSequence, segments: segments,
                retained: retained))
    }

    /// Queues `submission` unless the journal is closed (or, for appends, failed); returns the refusal otherwise.
    func submit(_ submission: JournalSubmission) -> JournalError? {
        let refusal = state.withLock { state -> JournalError? in
            guard state.accepting else { return .closed }
            if case .append = submission, state.failure != nil { return .unavailable }
            state.queue.append(submission)
            return nil
        }
        if refusal == nil { wakeup.signal() }
        return refusal
    }

    /// Stops accepting work and queues the writer's stop; returns false if that already happened.
    func requestStop() -> Bool {
        let first = state.withLock { state -> Bool in
            guard state.accepting else { return false }
            state.accepting = false
            state.queue.append(.stop)
            return true
        }
        if first { wakeup.signal() }
        return first
    }

    /// Takes everything queued, waiting for work for up to `timeout` (forever when `nil`); empty on timeout.
    func takeWork(timeout: Duration?) -> [JournalSubmission] {
        while true {
            let work = state.withLock { state -> [JournalSubmission] in
                var taken: [JournalSubmission] = []
                swap(&taken, &state.queue)
                return taken
            }
            if !work.isEmpty { return work }
            if let timeout {
                let nanoseconds = timeout.components.seconds * 1_000_000_000
                    + timeout.components.attoseconds / 1_000_000_000
                if wakeup.wait(timeout: .now() + .nanoseconds(Int(clamping: nanoseconds))) == .timedOut { return [] }
            } else {
                wakeup.wait()
            }
            // The semaphore counts one signal per submission, but one take drains them all, so a wake-up may find
            // the queue already empty; the loop simply waits again.
        }
    }

    /// Whether the calling thread is the writer thread, which runs hooks and callbacks (blocking there would
    /// deadlock: the writer would wait for itself).
    var isJournalThread: Bool {
        let writer = state.withLock { $0.writerThread }
        guard let writer else { return false }
        return pthread_equal(writer, pthread_self()) != 0
    }

    /// Records a durable group commit.
    func publishCommit(
        durableSequence: UInt64, segmentBytes: Int, appends: Int, records: Int, bytes: Int, syncNanoseconds: UInt64
    ) {
        let bucket = Journal.Statistics.syncDurationBounds.firstIndex { syncNanoseconds <= $0 }
            ?? Journal.Statistics.syncDurationBounds.count
        state.withLock { state in
            state.statistics.syncDurationCounts[bucket] += 1
            state.statistics.syncNanoseconds &+= syncNanoseconds
            state.durableSequence = durableSequence
            if !state.segments.isEmpty { state.segments[state.segments.count - 1].byteSize = segmentBytes }
            state.statistics.syncs += 1
            state.statistics.acknowledgedAppends += appends
            state.statistics.durableRecords += records
            state.statistics.bytesWritten += bytes
        }
    }

    /// Enters the failed state: from now on appends are refused until `leaveFailure()`.
    func enterFailure(_ error: JournalError) {
        state.withLock { state in
            state.failure = error
            state.statistics.failedCommits += 1
        }
    }

    /// Leaves the failed state.
    func leaveFailure() {
        state.withLock { state in
            state.failure = nil
            state.statistics.recoveries += 1
        }
    }

    /// Records that the writer started a new segment.
    func addSegment(_ segment: JournalSegmentInfo) {
        state.withLock { state in
            state.segments.append(segment)
            state.statistics.rotations += 1
        }
    }
}
