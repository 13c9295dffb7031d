import Foundation
import Synchronization

/// A rebuild of one partition's base running off the write path: started from a snapshot version when its delta
/// passed the threshold, and adopted by a later write, which replays only the writes made after the snapshot.
/// Shared by the snapshot and every version derived from it.
final class BackgroundRebuild: Sendable {
    /// Writes with a sequence from here on are not in the rebuilt base.
    let snapshotSequence: Int
    private let result = Mutex<BasePartition?>(nil)

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
            let base = BasePartitionBuilder.build(calls: snapshot.liveCalls, parallel: false)
            result.withLock { $0 = base }
        }
        thread.name = "CallCore rebuild"
        thread.start()
    }

    /// Linux's SCHED_IDLE (<sched.h> declares it only under _GNU_SOURCE, which the Glibc module lacks).
    private static let idlePolicy: Int32 = 5

    /// The rebuilt base, if it is ready.
    var base: BasePartition? { result.withLock { $0 } }
}
