import Glibc
import Synchronization

/// Spreads accepted connections over the event loops in turn. The kernel wakes whichever loop is idle for the
/// shared listener, so a burst of connections (a client opening its pool) would otherwise land on one loop and
/// one core; instead the loop that accepts hands each connection whose turn is another loop's to that loop.
final class ConnectionHandoff: Sendable {
    /// One loop's side: connections handed to it, its wake descriptor, and how many connections it serves.
    private final class Inbox: Sendable {
        let handed = Mutex<[Int32]>([])
        let wakeFD: Int32
        let serving = Atomic<Int>(0)

        init(wakeFD: Int32) {
            self.wakeFD = wakeFD
        }
    }

    private let inboxes: [Inbox]
    private let turn = Atomic<UInt>(0)

    /// A handoff between the loops woken through `wakeFDs`, by loop index.
    init(wakeFDs: [Int32]) {
        inboxes = wakeFDs.map(Inbox.init)
    }

    /// The loop whose turn it is to serve the next accepted connection.
    func nextLoop() -> Int {
        Int(turn.wrappingAdd(1, ordering: .relaxed).oldValue % UInt(max(1, inboxes.count)))
    }

    /// Gives an accepted connection to `loop` and wakes it.
    func hand(_ fd: Int32, to loop: Int) {
        inboxes[loop].handed.withLock { $0.append(fd) }
        var one: UInt64 = 1
        _ = write(inboxes[loop].wakeFD, &one, 8)
    }

    /// The connections handed to `loop` since it last looked.
    func take(for loop: Int) -> [Int32] {
        inboxes[loop].handed.withLock { handed in
            let taken = handed
            handed.removeAll(keepingCapacity: true)
            return taken
        }
    }

    /// Counts a connection `loop` started serving.
    func opened(on loop: Int) {
        inboxes[loop].serving.wrappingAdd(1, ordering: .relaxed)
    }

    /// Counts a connection `loop` closed.
    func closed(on loop: Int) {
        inboxes[loop].serving.wrappingSubtract(1, ordering: .relaxed)
    }

    /// How many connections each loop serves now.
    var servingPerLoop: [Int] { inboxes.map { $0.serving.load(ordering: .relaxed) } }
}
