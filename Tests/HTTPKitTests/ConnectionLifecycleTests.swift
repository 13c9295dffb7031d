@testable import HTTPKit
import Testing

/// Every timeout and flow-control rule of a connection, driven by events with chosen times: no sockets, no sleeps.
@Suite struct ConnectionLifecycleTests {
    private static let second: UInt64 = 1_000_000_000
    private static let policy = ConnectionLifecycle.Policy(HTTPServerConfiguration())

    private func fresh(at now: UInt64 = 0) -> ConnectionLifecycle {
        ConnectionLifecycle(policy: Self.policy, now: now)
    }

    @Test func aSilentNewConnectionIsClosedWithoutAnAnswerAfterTheHeaderTimeout() {
        let lifecycle = fresh()
        #expect(lifecycle.check(now: 10 * Self.second) == .keep)
        #expect(lifecycle.check(now: 10 * Self.second + 1) == .close)
    }

    @Test func aHeaderDribblerGets408AtTheHeaderTimeoutHoweverOftenItSendsAByte() {
        var lifecycle = fresh()
        lifecycle.read(now: 0)
        lifecycle.parsed(waitingFor: .head, buffered: 1, now: 0)
        for second in 1...10 {
            lifecycle.read(now: UInt64(second) * Self.second)
            lifecycle.parsed(waitingFor: .head, buffered: 1 + second, now: UInt64(second) * Self.second)
        }
        #expect(lifecycle.check(now: 10 * Self.second) == .keep)
        #expect(lifecycle.check(now: 10 * Self.second + 1) == .timeOut)
    }

    @Test func aBodyThatStallsGets408AfterTheGap() {
        var lifecycle = fresh()
        lifecycle.headReceived(now: 0)
        lifecycle.read(now: 0)
        lifecycle.bodyReceived(1_000_000)  // enough for the average rate, so only the gap can trip
        #expect(lifecycle.check(now: 30 * Self.second) == .keep)
        #expect(lifecycle.check(now: 30 * Self.second + 1) == .timeOut)
    }

    @Test func aTrickledBodyIsCutOffByTheMinimumRateOnceTheGraceHasPassed() {
        var lifecycle = fresh()
        lifecycle.headReceived(now: 0)
        // A byte a second never leaves more than a second between reads, so only the rate can stop it.
        for second in 1...9 {
            lifecycle.read(now: UInt64(second) * Self.second)
            lifecycle.bodyReceived(1)
            #expect(lifecycle.check(now: UInt64(second) * Self.second) == .keep)
        }
        lifecycle.read(now: 10 * Self.second)
        lifecycle.bodyReceived(1)
        #expect(lifecycle.check(now: 10 * Self.second) == .timeOut)
    }

    @Test func aSlowButHonestUploadKeepsItsConnection() {
        var lifecycle = fresh()
        lifecycle.headReceived(now: 0)
        // 17 KiB/s, just over the minimum average of 16 KiB/s, for a 64 MiB import's worth of time.
        for second in 1...4_000 {
            lifecycle.read(now: UInt64(second) * Self.second)
            lifecycle.bodyReceived(17 * 1024)
            #expect(lifecycle.check(now: UInt64(second) * Self.second) == .keep)
        }
    }

    @Test func anIdleKeepAliveConnectionIsClosedSilentlyAfterTheIdleTimeout() {
        var lifecycle = fresh()
        lifecycle.headReceived(now: 0)
        lifecycle.requestAnswered(now: Self.second)
        lifecycle.outputSent(pending: 0, now: Self.second)
        #expect(lifecycle.check(now: 61 * Self.second) == .keep)
        #expect(lifecycle.check(now: 61 * Self.second + 1) == .close)
    }

    @Test func aConnectionWhoseResponseIsBeingProducedHasNoDeadline() {
        var lifecycle = fresh()
        lifecycle.headReceived(now: 0)
        lifecycle.parsed(waitingFor: .responding, buffered: 0, now: 0)
        #expect(lifecycle.check(now: 3_600 * Self.second) == .keep)
    }

    @Test func aClientThatReadsNothingIsDroppedAfterTheWriteTimeout() {
        var lifecycle = fresh()
        lifecycle.requestAnswered(now: 0)
        lifecycle.outputQueued(pending: 500_000, now: 0)
        lifecycle.outputSent(pending: 300_000, now: 5 * Self.second)
        #expect(lifecycle.check(now: 65 * Self.second) == .keep)
        #expect(lifecycle.check(now: 65 * Self.second + 1) == .close)
    }

    @Test func unreadOutputStopsReadingUntilItDrains() {
        var lifecycle = fresh()
        #expect(lifecycle.wantsInput)
        lifecycle.outputQueued(pending: Self.policy.outputHighWater, now: 0)
        #expect(!lifecycle.wantsInput)
        lifecycle.outputSent(pending: Self.policy.outputHighWater - 1, now: 1)
        #expect(lifecycle.wantsInput)
    }

    @Test func whileAResponseIsProducedAtMostOnePipelinedHeadIsRead() {
        var lifecycle = fresh()
        lifecycle.headReceived(now: 0)
        lifecycle.parsed(waitingFor: .responding, buffered: 0, now: 0)
        #expect(lifecycle.wantsInput)
        lifecycle.parsed(waitingFor: .responding, buffered: Self.policy.inputWhileResponding - 1, now: 0)
        #expect(lifecycle.wantsInput)
        lifecycle.parsed(waitingFor: .responding, buffered: Self.policy.inputWhileResponding, now: 0)
        #expect(!lifecycle.wantsInput)
        // Answered: the buffered head is parsed and reading resumes.
        lifecycle.requestAnswered(now: 1)
        lifecycle.parsed(waitingFor: .idle, buffered: 0, now: 1)
        #expect(lifecycle.wantsInput)
    }

    @Test func aPeerThatClosedIsNotReadButWhatItSentIsStillAnswered() {
        var lifecycle = fresh()
        lifecycle.peerDidClose()
        #expect(!lifecycle.wantsInput)
        #expect(!lifecycle.dropsInput)  // complete requests already received are answered
        lifecycle.closeAfterResponse()
        #expect(lifecycle.dropsInput)
    }

    @Test func aBacklogOfUnparsedInputStopsReadingInAnyPhase() {
        var lifecycle = fresh()
        lifecycle.parsed(waitingFor: .idle, buffered: Self.policy.inputWhileResponding, now: 0)
        #expect(!lifecycle.wantsInput)
        lifecycle.parsed(waitingFor: .idle, buffered: 100, now: 0)
        #expect(lifecycle.wantsInput)
    }

    @Test func whileAResponseIsProducedAReadTakesOnlyWhatCompletesOneHead() {
        var lifecycle = fresh()
        #expect(lifecycle.readAllowance(65_536) == 65_536)
        lifecycle.headReceived(now: 0)
        lifecycle.parsed(waitingFor: .responding, buffered: 1_000, now: 0)
        #expect(lifecycle.readAllowance(65_536) == Self.policy.inputWhileResponding - 1_000)
        lifecycle.parsed(waitingFor: .responding, buffered: Self.policy.inputWhileResponding, now: 0)
        #expect(lifecycle.readAllowance(65_536) == 0)
    }

    @Test func aHeadParsedLongAfterItWasReadGivesItsBodyAFullGap() {
        var lifecycle = fresh()
        lifecycle.read(now: 0)
        // The head waited 40 s behind a slow answer before it was parsed.
        lifecycle.headReceived(now: 40 * Self.second)
        #expect(lifecycle.check(now: 40 * Self.second + 1) == .keep)
        #expect(lifecycle.check(now: 49 * Self.second) == .keep)  // neither the 30 s gap nor the rate (10 s) is due
    }

    @Test func idleTimeRunsFromWhenTheAnswerWasSentNotQueued() {
        var lifecycle = fresh()
        lifecycle.requestAnswered(now: 0)
        lifecycle.outputQueued(pending: 1_000_000, now: 0)
        // The client reads its large answer slowly for 50 s; then its keep-alive has the whole idle time.
        for second in 1...50 { lifecycle.outputSent(pending: 1_000_000 - second * 20_000, now: UInt64(second) * Self.second) }
        #expect(lifecycle.check(now: 100 * Self.second) == .keep)
        #expect(lifecycle.check(now: 110 * Self.second + 1) == .close)
    }

    @Test func aClientReadingItsAnswerSlowlyStillCannotDribbleItsNextHead() {
        var lifecycle = fresh()
        lifecycle.requestAnswered(now: 0)
        lifecycle.outputQueued(pending: 100_000, now: 0)
        lifecycle.parsed(waitingFor: .head, buffered: 10, now: 0)
        for second in 1...10 { lifecycle.outputSent(pending: 100_000 - second * 10, now: UInt64(second) * Self.second) }
        #expect(lifecycle.check(now: 10 * Self.second + 1) == .timeOut)
    }

    @Test func timeTheServerSpentNotReadingIsNotCountedAgainstABody() {
        var lifecycle = fresh()
        lifecycle.headReceived(now: 0)
        // Its answers back up for 20 s: reading stops, and the body cannot arrive meanwhile.
        lifecycle.outputQueued(pending: Self.policy.outputHighWater, now: 0)
        #expect(!lifecycle.wantsInput)
        #expect(lifecycle.check(now: 20 * Self.second) == .keep)
        lifecycle.outputSent(pending: 0, now: 20 * Self.second)
        #expect(lifecycle.wantsInput)
        lifecycle.read(now: 21 * Self.second)
        lifecycle.bodyReceived(20_000)
        #expect(lifecycle.check(now: 21 * Self.second) == .keep)
    }

    @Test func lingeringReadsAndDropsInputForTwoSecondsThenCloses() {
        var lifecycle = fresh()
        lifecycle.closeAfterResponse()
        lifecycle.finSent(now: 0)
        #expect(lifecycle.wantsInput)
        #expect(lifecycle.dropsInput)
        #expect(lifecycle.check(now: 2 * Self.second) == .keep)
        #expect(lifecycle.check(now: 2 * Self.second + 1) == .close)
    }

    @Test func shutdownClosesIdleConnectionsSoonAndBusyOnesAfterTheGrace() {
        var idle = fresh()
        idle.requestAnswered(now: 0)
        idle.shutdownBegan(now: 0)
        #expect(idle.check(now: 2 * Self.second) == .keep)
        #expect(idle.check(now: 2 * Self.second + 1) == .close)

        var busy = fresh()
        busy.headReceived(now: 0)
        busy.parsed(waitingFor: .responding, buffered: 0, now: 0)
        busy.shutdownBegan(now: 0)
        #expect(busy.check(now: 3 * Self.second) == .keep)
        #expect(busy.check(now: 5 * Self.second + 1) == .close)
    }

    @Test func limitsComeFromTheConfiguration() {
        var configuration = HTTPServerConfiguration()
        configuration.headerTimeoutSeconds = 1
        configuration.minimumBodyBytesPerSecond = 100
        configuration.bodyRateGraceSeconds = 2
        let lifecycle = ConnectionLifecycle(policy: ConnectionLifecycle.Policy(configuration), now: 0)
        #expect(lifecycle.check(now: Self.second + 1) == .close)
        var body = ConnectionLifecycle(policy: ConnectionLifecycle.Policy(configuration), now: 0)
        body.headReceived(now: 0)
        body.read(now: 2 * Self.second)
        body.bodyReceived(200)
        #expect(body.check(now: 2 * Self.second) == .keep)
        #expect(body.check(now: 3 * Self.second) == .timeOut)
    }
}
