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

    private let mailboxes: [LoopMailbox]
    private let serving: [Count]
    private let turn = Atomic<UInt>(0)

    /// A handoff between the loops that read `mailboxes`, by loop index.
    init(mailboxes: [LoopMailbox]) {
        self.mailboxes = mailboxes
        serving = mailboxes.map { _ in Count() }
    }

    /// The loop whose turn it is to serve the next accepted connection.
    func nextLoop() -> Int {
        Int(turn.wrappingAdd(1, ordering: .relaxed).oldValue % UInt(max(1, mailboxes.count)))
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
