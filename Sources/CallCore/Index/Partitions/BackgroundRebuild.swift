import CSystem
import Foundation
import Locking
import Synchronization

/// A rebuild of one partition's base running off the write path: started from a snapshot version when its delta
/// passed the threshold, and adopted by a later write. Shared by the snapshot and every version derived from it.
///
/// Once the base is built, the rebuild thread also replays onto it the writes the lineage received meanwhile
/// (read from the newest version it was shown), so the write that adopts it replays only the last few: adoption
/// costs about the writes since the catch-up, not every write made during the rebuild.
final class BackgroundRebuild: Sendable {
    /// What a finished rebuild offers: a version on the new base holding the writes numbered below `covered`.
    struct Ready: Sendable {
        var version: PartitionVersion
        var covered: Int
    }

    private struct State {
        /// The newest version of the lineage, while the rebuild runs (dropped when done: it refers back here).
        var newest: PartitionVersion?
        var ready: Ready?
    }

    /// Writes with a sequence from here on are not in the rebuilt base.
    let snapshotSequence: Int
    private let state = Locked(State())

    /// Catch-up passes stop once fewer writes than this are left for the adopting write.
    private static let catchUpGoal = 64
    /// Catch-up passes at most, so a lineage written faster than the rebuild thread replays is still adopted.
    /// Each pass replays only what the one before left, so passes shrink quickly; the cap is generous because
    /// whatever is left is replayed by the adopting write on the journal's writer thread, which every write
    /// waits for.
    private static let catchUpPasses = 32
    /// A query over a delta this large moves the rebuild to normal priority: when reads and writes keep both
    /// cores busy, an idle-priority rebuild would never finish, and the delta every query pays for would grow
    /// without end. Only queries pay for the delta, so only they promote below `writePromotionDelta`: under
    /// writes alone the rebuild keeps to idle time, and the cores go to the writes.
    static let queryPromotionDelta = 4096
    /// A delta this large promotes the rebuild even without queries, bounding what the first query after a long
    /// run of writes pays, and the memory the delta holds.
    static let writePromotionDelta = 65536

    /// The rebuild thread's kernel id once it has set its idle priority (0 before).
    private let threadID = Atomic<Int32>(0)
    /// Whether the rebuild was moved to normal priority.
    private let promoted = Atomic<Bool>(false)

    /// Starts rebuilding the base of `snapshot` (all its live calls) on a thread of its own at the lowest
    /// scheduling priority, building on that one thread: queries keep the cores, the rebuild takes what is idle.
    init(snapshot: PartitionVersion) {
        snapshotSequence = snapshot.nextSequence
        let thread = Thread { [self] in
            // SCHED_IDLE: the thread runs only when no other thread wants a core, and yields the moment one does;
            // under nice 19 alone a burst of writes still lost time to it. (Linux keeps the policy per thread, and
            // pid 0 names the calling thread; where refused, nice 19; either failure only costs priority.)
            var parameters = sched_param(sched_priority: 0)
            if sched_setscheduler(0, Self.idlePolicy, &parameters) != 0 {
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
            }
            // Published after the policy is set, so a promotion cannot be undone by it.
            threadID.store(csystem_thread_id(), ordering: .releasing)
            let base = BasePartitionBuilder.build(calls: snapshot.liveCalls, parallel: false)
            var version = PartitionVersion(base: base)
            var covered = snapshotSequence
            for _ in 0..<Self.catchUpPasses {
                guard let newest = state.withLock({ $0.newest }), newest.nextSequence - covered > Self.catchUpGoal else { break }
                version = version.replaying(newest, from: covered)
                covered = newest.nextSequence
            }
            let ready = Ready(version: version, covered: covered)
            state.withLock { state in
                state.ready = ready
                state.newest = nil
            }
        }
        thread.name = "CallCore rebuild"
        thread.start()
    }

    /// Linux's SCHED_IDLE (<sched.h> declares it only under _GNU_SOURCE, which the Glibc module lacks).
    private static let idlePolicy: Int32 = 5

    /// Shows the rebuild the lineage's newest version, for its catch-up (ignored once it is done).
    func follow(_ version: PartitionVersion) {
        let running = state.withLock { state -> Bool in
            if state.ready == nil { state.newest = version }
            return state.ready == nil
        }
        if running, version.deltaSize > Self.writePromotionDelta { promote() }
    }

    /// Tells the rebuild a query ran over `version`, a version of its lineage still on the old base.
    func queried(_ version: PartitionVersion) {
        // Cheapest checks first: every query of a lineage with a running rebuild comes here.
        guard !promoted.load(ordering: .relaxed), version.deltaSize > Self.queryPromotionDelta, ready == nil else { return }
        promote()
    }

    /// Moves the rebuild thread to normal priority (once; best effort: without the privilege to raise a
    /// thread's priority it keeps the idle one).
    private func promote() {
        let thread = threadID.load(ordering: .acquiring)
        guard thread != 0, !promoted.load(ordering: .relaxed), !promoted.exchange(true, ordering: .relaxed) else { return }
        var parameters = sched_param(sched_priority: 0)
        _ = sched_setscheduler(thread, Self.normalPolicy, &parameters)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(thread), 0)
    }

    /// Linux's SCHED_OTHER, the default time-sharing policy.
    private static let normalPolicy: Int32 = 0

    /// The rebuilt version, if it is ready.
    var ready: Ready? { state.withLock { $0.ready } }
}
