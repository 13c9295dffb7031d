/// The timing and flow-control rules of one connection, as a pure value: the connection reports what happened
/// (bytes read, a body's progress, output queued or sent, a deadline check, shutdown) with the time it happened,
/// and asks what to do (read or not, time out, close). No sockets and no clock inside, so every timeout, limit
/// and back-pressure rule is tested by feeding events with chosen times.
struct ConnectionLifecycle {
    /// What the connection is waiting for, which decides its timeout.
    enum Phase: Equatable {
        /// Accepted, nothing received yet.
        case fresh
        /// Between requests of a keep-alive connection.
        case idle
        /// Part of a header section has arrived.
        case head
        /// A header section is complete and its body is arriving.
        case body
        /// The server is producing a response elsewhere (a deferred handler).
        case responding
    }

    /// What a deadline check decides.
    enum Action: Equatable {
        /// Nothing is due.
        case keep
        /// Close without a response (silent client, idle keep-alive, stalled reader, shutdown grace, linger over).
        case close
        /// Answer 408, then close.
        case timeOut
    }

    /// The limits that apply, in nanoseconds and bytes (from `HTTPServerConfiguration`).
    struct Policy: Equatable {
        var header: UInt64
        var bodyGap: UInt64
        var bodyRateGrace: UInt64
        var minimumBodyBytesPerSecond: Int
        var idle: UInt64
        var write: UInt64
        var linger: UInt64
        var shutdownGrace: UInt64
        /// Shutdown closes idle connections after this long (at most `shutdownGrace`).
        var shutdownIdleGrace: UInt64
        var outputHighWater: Int
        /// Unparsed input a connection may hold while its response is produced: one pipelined request head.
        var inputWhileResponding: Int
        /// How long one connection's pipelined requests may hold a round of its loop.
        var slice: UInt64

        init(_ configuration: HTTPServerConfiguration) {
            func nanos(_ seconds: Double) -> UInt64 { UInt64(max(0, seconds) * 1e9) }
            header = nanos(configuration.headerTimeoutSeconds)
            bodyGap = nanos(configuration.bodyTimeoutSeconds)
            bodyRateGrace = nanos(configuration.bodyRateGraceSeconds)
            minimumBodyBytesPerSecond = configuration.minimumBodyBytesPerSecond
            idle = nanos(configuration.idleTimeoutSeconds)
            write = nanos(configuration.writeTimeoutSeconds)
            linger = nanos(configuration.lingerSeconds)
            shutdownGrace = nanos(configuration.shutdownGraceSeconds)
            shutdownIdleGrace = min(shutdownGrace, nanos(configuration.shutdownIdleGraceSeconds))
            outputHighWater = configuration.outputHighWaterBytes
            // The request line and header section limits bound one head.
            inputWhileResponding = configuration.limits.maxRequestTargetBytes + configuration.limits.maxHeaderSectionBytes + 1024
            slice = nanos(configuration.loopSliceSeconds)
        }
    }

    let policy: Policy
    private(set) var phase: Phase = .fresh
    private(set) var phaseStartedAt: UInt64
    private(set) var lastReadAt: UInt64
    /// Body bytes of the current request received so far.
    private(set) var bodyBytes = 0
    /// Response bytes not yet sent.
    private(set) var pendingOutput = 0
    private(set) var lastWriteProgressAt: UInt64
    /// Received bytes not yet parsed.
    private(set) var bufferedInput = 0
    /// No more requests are read: the last response closes the connection.
    private(set) var closeAfterWrite = false
    /// The peer sent FIN (or reset): answer what was received, then close.
    private(set) var peerClosed = false
    /// Our side has sent FIN; input is read and dropped until the peer closes (lingering close).
    private(set) var lingeringSince: UInt64?
    private var drainingSince: UInt64?

    init(policy: Policy, now: UInt64) {
        self.policy = policy
        phaseStartedAt = now
        lastReadAt = now
        lastWriteProgressAt = now
    }

    // MARK: Events

    /// Bytes arrived from the peer.
    mutating func read(now: UInt64) {
        lastReadAt = now
    }

    /// The parser consumed what it could: it now waits for `next`, with `buffered` bytes left unparsed.
    mutating func parsed(waitingFor next: Phase, buffered: Int, now: UInt64) {
        let wasReading = wantsInput
        bufferedInput = buffered
        restartClockIfReadingResumed(wasReading, now: now)
        guard next != phase else { return }
        // Fresh stays fresh until a byte of a request arrives.
        if next == .idle && phase == .fresh { return }
        phase = next
        phaseStartedAt = now
    }

    /// A header section is complete: its body (if any) starts arriving now. (It may have been parsed long after
    /// it was read, behind a slow answer: the body's clocks start now, not at the last read.)
    mutating func headReceived(now: UInt64) {
        phase = .body
        phaseStartedAt = now
        lastReadAt = now
        bodyBytes = 0
    }

    /// A response was queued: the connection waits for its next request.
    mutating func requestAnswered(now: UInt64) {
        phase = .idle
        phaseStartedAt = now
    }

    /// Body bytes of the current request were received.
    mutating func bodyReceived(_ count: Int) {
        bodyBytes += count
    }

    /// A response (or part of one) was queued; `pending` is what is now unsent.
    mutating func outputQueued(pending: Int, now: UInt64) {
        let wasReading = wantsInput
        if pendingOutput == 0 && pending > 0 { lastWriteProgressAt = now }
        pendingOutput = pending
        restartClockIfReadingResumed(wasReading, now: now)
    }

    /// A send made progress; `pending` is what is left.
    mutating func outputSent(pending: Int, now: UInt64) {
        let wasReading = wantsInput
        pendingOutput = pending
        lastWriteProgressAt = now
        // Idle keep-alive time runs from when the client has its answer, not from when it was queued.
        if pending == 0 && phase == .idle { phaseStartedAt = now }
        restartClockIfReadingResumed(wasReading, now: now)
    }

    /// The response being written is the connection's last.
    mutating func closeAfterResponse() {
        closeAfterWrite = true
    }

    /// The peer closed its side: nothing more is read (what was received is still answered, then the
    /// connection closes).
    mutating func peerDidClose() {
        peerClosed = true
    }

    /// A head or body that the server stopped reading (its own output backed up, or a backlog of input) is not
    /// the client's delay: its clock starts again when reading resumes.
    private mutating func restartClockIfReadingResumed(_ wasReading: Bool, now: UInt64) {
        guard !wasReading, wantsInput, phase == .head || phase == .body else { return }
        phaseStartedAt = now
        lastReadAt = now
        bodyBytes = 0
    }

    /// Our FIN was sent; the rest of the input is dropped for a short while so the peer sees the response.
    mutating func finSent(now: UInt64) {
        if lingeringSince == nil { lingeringSince = now }
    }

    /// The server began shutting down.
    mutating func shutdownBegan(now: UInt64) {
        if drainingSince == nil { drainingSince = now }
    }

    // MARK: Decisions

    /// Whether to read from the socket now. Output the client has not taken stops reading (it cannot queue work
    /// faster than it reads answers), and so does unparsed input of a head's size: a pipelined head waiting behind
    /// a response being produced, or requests the loop has not reached yet.
    var wantsInput: Bool {
        if lingeringSince != nil { return true }  // read and drop until the peer closes
        if peerClosed { return false }
        if pendingOutput >= policy.outputHighWater { return false }
        if bufferedInput >= policy.inputWhileResponding { return false }
        return true
    }

    /// The most bytes one read may take now: while a response is produced, only what completes one pipelined
    /// head's worth of input.
    func readAllowance(_ buffer: Int) -> Int {
        guard phase == .responding, lingeringSince == nil else { return buffer }
        return max(0, min(buffer, policy.inputWhileResponding - bufferedInput))
    }

    /// Whether input that arrives now is dropped unread (nothing more will be answered).
    var dropsInput: Bool { lingeringSince != nil || closeAfterWrite }

    /// What is due at `now`.
    func check(now: UInt64) -> Action {
        if let since = lingeringSince {
            return now &- since > policy.linger ? .close : .keep
        }
        if pendingOutput > 0 && now &- lastWriteProgressAt > policy.write { return .close }
        // A head or body is timed while it is read (a client that reads its answers slowly still cannot dribble
        // input); idle time only once the answers are out.
        let timed: Bool
        switch phase {
        case .head, .body: timed = wantsInput
        case .fresh, .idle: timed = pendingOutput == 0
        case .responding: timed = false
        }
        if timed {
            let due = phaseDeadline(now: now)
            if due != .keep { return due }
        }
        if let since = drainingSince {
            let waited = now &- since
            let idle = phase == .idle || phase == .fresh
            if (idle && pendingOutput == 0 && waited > policy.shutdownIdleGrace) || waited > policy.shutdownGrace {
                return .close
            }
        }
        return .keep
    }

    private func phaseDeadline(now: UInt64) -> Action {
        let inPhase = now &- phaseStartedAt
        switch phase {
        case .fresh:
            return inPhase > policy.header ? .close : .keep
        case .idle:
            return inPhase > policy.idle ? .close : .keep
        case .head:
            return inPhase > policy.header ? .timeOut : .keep
        case .body:
            if now &- lastReadAt > policy.bodyGap { return .timeOut }
            if inPhase >= policy.bodyRateGrace && !keepsMinimumRate(over: inPhase) { return .timeOut }
            return .keep
        case .responding:
            return .keep  // the server is working; its own deadlines apply
        }
    }

    /// Whether `bodyBytes` over `elapsed` nanoseconds averages at least the minimum rate.
    private func keepsMinimumRate(over elapsed: UInt64) -> Bool {
        let (required, overflow) = UInt64(max(0, policy.minimumBodyBytesPerSecond)).multipliedReportingOverflow(by: elapsed / 1_000_000)
        return overflow || UInt64(bodyBytes) * 1000 >= required
    }
}
