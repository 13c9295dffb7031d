@testable import HTTPKit
import Glibc
import Testing

/// Accepted connections are dealt out in turn, except to a loop stuck in a long round of work.
@Suite struct ConnectionHandoffTests {
    private func handoff(loops: Int) -> ConnectionHandoff {
        ConnectionHandoff(mailboxes: (0..<loops).map { _ in LoopMailbox(wakeFD: -1) })
    }

    @Test func loopsTakeTurnsWhileNoneIsStalled() {
        let handoff = handoff(loops: 2)
        handoff.loop(1, busySince: 1_000_000)  // busy for 1 ms: not stalled
        let turns = (0..<6).map { _ in handoff.nextLoop(accepting: 0, now: 2_000_000) }
        #expect(turns == [0, 1, 0, 1, 0, 1])
    }

    @Test func aStalledLoopsTurnGoesToTheAcceptingLoop() {
        let handoff = handoff(loops: 2)
        handoff.loop(1, busySince: 1_000_000)
        let now = 1_000_000 + handoff.stalledNanoseconds + 1
        let turns = (0..<6).map { _ in handoff.nextLoop(accepting: 0, now: now) }
        #expect(turns == [0, 0, 0, 0, 0, 0])
        // Back to waiting for events: its turns resume.
        handoff.loop(1, busySince: 0)
        #expect(Set((0..<2).map { _ in handoff.nextLoop(accepting: 0, now: now) }) == [0, 1])
    }
}
