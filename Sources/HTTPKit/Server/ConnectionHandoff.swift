import Synchronization

/// Spreads accepted connections over the event loops in turn. The kernel wakes whichever loop is idle for the
/// shared listener, so a burst of connections (a client opening its pool) would otherwise land on one loop and
/// one core; instead the loop that accepts hands each connection whose turn is another loop's to that loop's
/// mailbox.
final class ConnectionHandoff: Sendable {
    /// How many connections one loop serves.
    private final class Count: Sendable {
        let value = Atomic<Int>(0)
    }

    /// When a loop began its current round of work (0 while it waits for events). Each loop stores its own twice a
    /// round: the padding keeps two loops' values off one cache line.
    private final class Busy: Sendable {
        let since = Atomic<UInt64>(0)
        let padding: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    }

    private let mailboxes: [LoopMailbox]
    private let serving: [Count]
    private let busy: [Busy]
    private let turn = Atomic<UInt>(0)
    /// A loop busy with one round for longer than this is passed over: a new client would wait behind it.
    let stalledNanoseconds: UInt64

    /// A handoff between the loops that read `mailboxes`, by loop index.
    init(mailboxes: [LoopMailbox], stalledNanoseconds: UInt64 = 5_000_000) {
        self.mailboxes = mailboxes
        self.stalledNanoseconds = stalledNanoseconds
        serving = mailboxes.map { _ in Count() }
        busy = mailboxes.map { _ in Busy() }
    }

    /// The loop to serve the next accepted connection: each in turn, except one stalled in a long round, whose
    /// turn goes to `accepting` (the loop that accepted, which is running).
    func nextLoop(accepting: Int, now: UInt64) -> Int {
        let next = Int(turn.wrappingAdd(1, ordering: .relaxed).oldValue % UInt(max(1, mailboxes.count)))
        let since = busy[next].since.load(ordering: .relaxed)
        if next != accepting, since != 0, now > since, now - since > stalledNanoseconds { return accepting }
        return next
    }

    /// Records that `loop` woke with work (`now`) or went back to waiting (0).
    func loop(_ loop: Int, busySince now: UInt64) {
        busy[loop].since.store(now, ordering: .relaxed)
    }

    /// Gives an accepted connection to `loop` (which adopts it on waking).
    func hand(_ fd: Int32, to loop: Int) {
        mailboxes[loop].hand(connection: fd)
    }

    /// Counts a connection `loop` started serving.
    func opened(on loop: Int) {
        serving[loop].value.wrappingAdd(1, ordering: .relaxed)
    }

    /// Counts a connection `loop` closed.
    func closed(on loop: Int) {
        serving[loop].value.wrappingSubtract(1, ordering: .relaxed)
    }

    /// How many connections each loop serves now.
    var servingPerLoop: [Int] { serving.map { $0.value.load(ordering: .relaxed) } }
}
