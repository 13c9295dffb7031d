import CSystem
import Glibc

/// One thread's `epoll` loop: accepts from the shared listener (`EPOLLEXCLUSIVE`, so one loop wakes
/// per connection), and drives its own connections. All its mutable state belongs to its thread;
/// other threads only post to its mailbox.
final class EventLoop: @unchecked Sendable {
    private let core: ServerCore
    /// This loop's place among the server's loops.
    private let index: Int
    /// Shares accepted connections out among the loops.
    private let handoff: ConnectionHandoff
    private let epollFD: Int32
    /// The mailbox's eventfd (compared with every ready descriptor); the loop owns it.
    private let wakeFD: Int32
    private var listenFD: Int32
    private var connections = ConnectionTable()
    private var ctx: LoopContext
    /// This loop's own counters (nil when the server counts nothing).
    var metrics: LoopMetrics? { ctx.metrics }
    private let mailbox: LoopMailbox
    private var nextSerial: UInt64 = 0
    private let readBuffer: UnsafeMutableRawBufferPointer
    private var drainStartedAt: UInt64?
    private var nextSweep: UInt64 = 0
    /// Connections to flush once the current batch of events is served.
    private var flushQueue: [Connection] = []
    /// Connections that stopped answering pipelined requests to let the others go; served again after the batch.
    private var resumeQueue: [Connection] = []

    private static let readBufferSize = 64 * 1024
    /// A descriptor held in reserve: when `accept` fails for want of descriptors, it is given up for a moment so
    /// the waiting connection can be accepted, answered 503 and closed, instead of waking the loop forever.
    private var spareFD: Int32 = -1
    /// Accepting pauses until then after the process ran out of descriptors.
    private var acceptPausedUntil: UInt64?

    init(core: ServerCore, listenFD: Int32, index: Int, handoff: ConnectionHandoff, mailbox: LoopMailbox) throws(SocketError) {
        self.core = core
        self.listenFD = listenFD
        self.index = index
        self.handoff = handoff
        self.mailbox = mailbox
        wakeFD = mailbox.wakeFD
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw SocketError(operation: "epoll_create1", code: errno) }
        ctx = LoopContext(
            core: core, mailbox: mailbox, metrics: core.metrics.map { _ in LoopMetrics(routeCount: core.routeLabels.count) })
        readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.readBufferSize, alignment: 16)
        register(wakeFD, events: EPOLLIN.rawValue)
        register(listenFD, events: EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue)
        spareFD = open("/dev/null", O_RDONLY | O_CLOEXEC)
    }

    deinit {
        if spareFD >= 0 { close(spareFD) }
        readBuffer.deallocate()
        close(epollFD)
        close(wakeFD)
    }

    /// Wakes the loop from another thread.
    func wake() {
        mailbox.wake()
    }

    /// Runs until shutdown has drained every connection.
    func run() {
        let capacity = 256
        var events = [epoll_event](repeating: epoll_event(), count: capacity)
        while true {
            handoff.loop(index, busySince: 0)
            let timeout: Int32 = resumeQueue.isEmpty ? 250 : 0
            let ready = events.withUnsafeMutableBufferPointer { buffer in
                epoll_wait(epollFD, buffer.baseAddress, Int32(capacity), timeout)
            }
            ctx.now = monotonicNanoseconds()
            handoff.loop(index, busySince: ctx.now)
            if ready < 0 && errno != EINTR { break }
            var batchStart = ctx.now
            for event in 0..<max(0, Int(ready)) {
                let fd = events[event].data.fd
                let flags = events[event].events
                if fd == listenFD {
                    acceptAll()
                } else if fd == wakeFD {
                    var value: UInt64 = 0
                    _ = read(wakeFD, &value, 8)
                    for fd in mailbox.takeConnections() { adopt(fd) }
                    deliverDeferredResponses()
                } else if let connection = connections[fd] {
                    service(connection, flags: flags)
                }
                // Responses wait for the rest of their batch at most about this long.
                if !flushQueue.isEmpty {
                    let now = monotonicNanoseconds()
                    if now &- batchStart > core.lifecyclePolicy.slice {
                        flushScheduled()
                        batchStart = now
                    }
                }
            }
            flushScheduled()
            resumeYielded()
            if core.draining.load(ordering: .relaxed) && drainStartedAt == nil {
                beginDrain()
            }
            if ctx.now >= nextSweep {
                sweep()
                resumeAcceptingIfDue()
                nextSweep = ctx.now + 200_000_000
            }
            if !ctx.logLines.isEmpty {
                core.accessLog?.append(ctx.logLines)
                ctx.logLines.removeAll(keepingCapacity: true)
            }
            if drainStartedAt != nil && connections.isEmpty { break }
        }
    }

    /// Gives each connection that yielded another slice of its pipelined requests, then writes what they answered.
    private func resumeYielded() {
        guard !resumeQueue.isEmpty else { return }
        let waiting = resumeQueue
        resumeQueue.removeAll(keepingCapacity: true)
        ctx.now = monotonicNanoseconds()
        for connection in waiting where connections[connection.fd] === connection {
            connection.process(&ctx)
            noteYield(connection)
            scheduleFlush(connection)
        }
        flushScheduled()
    }

    /// Queues `connection` for another slice if it stopped with requests left.
    private func noteYield(_ connection: Connection) {
        if connection.yielded { resumeQueue.append(connection) }
    }

    /// Writes responses that other threads finished, then serves what the connections pipelined meanwhile.
    private func deliverDeferredResponses() {
        for delivery in mailbox.take() {
            guard let connection = connections[delivery.fd], connection.serial == delivery.connectionSerial else { continue }
            connection.complete(delivery.result, &ctx)
            connection.process(&ctx)
            noteYield(connection)
            scheduleFlush(connection)
        }
    }

    // MARK: Accepting

    private func acceptAll() {
        while listenFD >= 0 && acceptPausedUntil == nil {
            let fd = csystem_accept_nonblocking(listenFD)
            if fd < 0 {
                let code = errno
                if code == EINTR || code == ECONNABORTED { continue }
                if code == EMFILE || code == ENFILE { shedOneConnection() }
                return  // EAGAIN, or a resource limit: try again on the next readiness event
            }
            let open = core.openConnections.wrappingAdd(1, ordering: .relaxed).newValue
            if open > core.connectionLimit {
                refuse(fd, countedOpen: true)
                continue
            }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            // Once draining, a loop may already have stopped: serve here rather than hand off.
            let turn = core.draining.load(ordering: .relaxed) ? index : handoff.nextLoop(accepting: index, now: ctx.now)
            if turn == index { adopt(fd) } else { handoff.hand(fd, to: turn) }
        }
    }

    /// Out of descriptors: the listener stays readable, so without this the loop would wake at once, forever.
    /// The spare descriptor makes room to accept one waiting connection and answer it 503; accepting then pauses
    /// briefly (the sweep resumes it), so the loop goes on serving the connections it has.
    private func shedOneConnection() {
        if spareFD >= 0 {
            close(spareFD)
            spareFD = -1
            let fd = csystem_accept_nonblocking(listenFD)
            if fd >= 0 { refuse(fd, countedOpen: false) }
            spareFD = open("/dev/null", O_RDONLY | O_CLOEXEC)
        }
        acceptPausedUntil = ctx.now + UInt64(max(0, core.configuration.acceptPauseSeconds) * 1e9)
        if listenFD >= 0 { epoll_ctl(epollFD, EPOLL_CTL_DEL, listenFD, nil) }
    }

    private func resumeAcceptingIfDue() {
        guard let until = acceptPausedUntil, ctx.now >= until else { return }
        acceptPausedUntil = nil
        if spareFD < 0 { spareFD = open("/dev/null", O_RDONLY | O_CLOEXEC) }
        if listenFD >= 0 { register(listenFD, events: EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue) }
    }

    /// Starts serving an accepted connection on this loop.
    private func adopt(_ fd: Int32) {
        nextSerial &+= 1
        let connection = Connection(
            fd: fd, serial: nextSerial, limits: core.configuration.limits, policy: core.lifecyclePolicy, now: ctx.now)
        connections[fd] = connection
        connection.interest = EPOLLIN.rawValue | EPOLLRDHUP.rawValue
        register(fd, events: connection.interest)
        if drainStartedAt != nil { connection.lifecycle.shutdownBegan(now: ctx.now) }
        handoff.opened(on: index)
    }

    /// Over the connection cap (or out of descriptors): a best-effort 503 and close, without registering the socket.
    private func refuse(_ fd: Int32, countedOpen: Bool) {
        ctx.metrics?.countRefusal(.connectionLimit)
        let connection = Connection(
            fd: fd, serial: 0, limits: core.configuration.limits, policy: core.lifecyclePolicy, now: ctx.now)
        connection.failOutsideRequest(.unavailable("Too many open connections; try again shortly."), &ctx)
        connection.output.withUnsafeBytes { raw in
            _ = send(fd, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL))
        }
        // Closing with unread input would reset the connection, and the client could lose the 503: send FIN and
        // take in what has arrived first.
        Glibc.shutdown(fd, Int32(SHUT_WR))
        _ = recv(fd, readBuffer.baseAddress, readBuffer.count, Int32(MSG_DONTWAIT))
        close(fd)
        if countedOpen { core.openConnections.wrappingSubtract(1, ordering: .relaxed) }
    }

    // MARK: Servicing

    private func service(_ connection: Connection, flags: UInt32) {
        if flags & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue | EPOLLRDHUP.rawValue) != 0 {
            if connection.lifecycle.wantsInput {
                readAvailable(connection)
            } else if flags & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 {
                // Not reading, and the connection is reset or shut both ways: nothing can be answered, and these
                // events are reported whatever the interest, so keeping it would wake the loop for ever.
                closeConnection(connection)
            } else if flags & EPOLLRDHUP.rawValue != 0 {
                // Not reading (a response is produced, or the client reads too slowly), but the client has gone.
                peerClosed(connection)
            }
            guard connections[connection.fd] != nil else { return }
        }
        scheduleFlush(connection)
    }

    /// Queues `connection` to be flushed after the current batch of events. Responses computed in one batch
    /// then leave together: the client is woken once for them rather than once per response, which on a
    /// virtual machine (a wake-up is an interrupt between cores) costs more than the responses' bytes.
    private func scheduleFlush(_ connection: Connection) {
        guard !connection.flushScheduled else { return }
        connection.flushScheduled = true
        flushQueue.append(connection)
    }

    /// Flushes every connection queued during the batch that is still open.
    private func flushScheduled() {
        for connection in flushQueue {
            connection.flushScheduled = false
            if connections[connection.fd] === connection { flush(connection) }
        }
        flushQueue.removeAll(keepingCapacity: true)
    }

    private func readAvailable(_ connection: Connection) {
        while connection.lifecycle.wantsInput {
            let allowance = connection.lifecycle.readAllowance(readBuffer.count)
            guard allowance > 0 else { return }
            assert(allowance <= readBuffer.count, "a read never asks for more than the buffer holds")
            let n = read(connection.fd, readBuffer.baseAddress, allowance)
            if n > 0 {
                connection.lifecycle.read(now: ctx.now)
                if connection.lifecycle.dropsInput { continue }  // nothing more will be answered
                connection.input.append(contentsOf: UnsafeRawBufferPointer(rebasing: readBuffer[0..<n]))
                connection.process(&ctx)
                if connection.yielded {
                    noteYield(connection)
                    return
                }
                if n < allowance { return }
            } else if n == 0 {
                peerClosed(connection)
                return
            } else {
                if errno == EINTR { continue }
                if errno != EAGAIN && errno != EWOULDBLOCK { closeConnection(connection) }
                return
            }
        }
    }

    private func peerClosed(_ connection: Connection) {
        let nothingOwed = connection.pendingOutput == 0 && !connection.hasUnparsedInput && connection.awaiting == nil
        if connection.lifecycle.lingeringSince != nil || nothingOwed {
            closeConnection(connection)
            return
        }
        // Half-close: answer the complete requests already received, then close. Slow work still queued for the
        // client is dropped (its answer then closes the connection).
        connection.peerDidClose()
        connection.process(&ctx)
        noteYield(connection)
        connection.lifecycle.closeAfterResponse()
        updateInterest(connection)
    }

    /// Writes pending output until the socket would block; resumes reading when the backlog drains.
    private func flush(_ connection: Connection) {
        while connection.pendingOutput > 0 {
            let n = connection.output.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                assert(connection.outputStart >= 0 && connection.outputStart < raw.count, "the pending output lies within the buffer")
                return send(connection.fd, base + connection.outputStart, connection.pendingOutput, Int32(MSG_NOSIGNAL))
            }
            if n > 0 {
                connection.consumeOutput(n, now: ctx.now)
            } else if n < 0 && errno == EINTR {
                continue
            } else if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                break
            } else {
                closeConnection(connection)
                return
            }
        }
        if connection.pendingOutput == 0 {
            if connection.lifecycle.closeAfterWrite {
                if connection.lifecycle.peerClosed { closeConnection(connection); return }
                beginLingering(connection)
            } else if connection.hasUnparsedInput && connection.awaiting == nil && !connection.yielded {
                connection.process(&ctx)  // requests that arrived while output was backed up
                noteYield(connection)
                if connection.pendingOutput > 0 { flush(connection); return }
            }
        }
        connection.accountOutput(core)
        updateInterest(connection)
    }

    /// Sends FIN and drops whatever the client still sends for a short while, so the response is not
    /// lost to a reset caused by unread input (RFC 9112 §9.6).
    private func beginLingering(_ connection: Connection) {
        guard connection.lifecycle.lingeringSince == nil else { return }
        connection.lifecycle.finSent(now: ctx.now)
        shutdown(connection.fd, Int32(SHUT_WR))
    }

    private func updateInterest(_ connection: Connection) {
        guard connections[connection.fd] != nil else { return }
        var wanted: UInt32 = 0
        if connection.lifecycle.wantsInput {
            wanted = EPOLLIN.rawValue | EPOLLRDHUP.rawValue
        } else if !connection.lifecycle.peerClosed {
            // Not reading, but still told when the client goes, so work queued for it can be dropped.
            wanted = EPOLLRDHUP.rawValue
        }
        if connection.pendingOutput > 0 { wanted |= EPOLLOUT.rawValue }
        guard wanted != connection.interest else { return }
        connection.interest = wanted
        var event = epoll_event()
        event.events = wanted
        event.data.fd = connection.fd
        epoll_ctl(epollFD, EPOLL_CTL_MOD, connection.fd, &event)
    }

    private func closeConnection(_ connection: Connection) {
        guard connections.remove(connection.fd) != nil else { return }
        connection.tearDown(core)
        epoll_ctl(epollFD, EPOLL_CTL_DEL, connection.fd, nil)
        close(connection.fd)
        core.openConnections.wrappingSubtract(1, ordering: .relaxed)
        handoff.closed(on: index)
    }

    // MARK: Timeouts and shutdown

    private func sweep() {
        let now = ctx.now
        for connection in connections.all() {
            switch connection.lifecycle.check(now: now) {
            case .keep: break
            case .close: closeConnection(connection)
            case .timeOut: timeOut(connection)
            }
        }
    }

    private func timeOut(_ connection: Connection) {
        ctx.metrics?.countRefusal(.timeout)
        connection.failOutsideRequest(.requestTimeout, &ctx)
        flush(connection)
    }

    private func beginDrain() {
        drainStartedAt = ctx.now
        for connection in connections.all() { connection.lifecycle.shutdownBegan(now: ctx.now) }
        if listenFD >= 0 {
            epoll_ctl(epollFD, EPOLL_CTL_DEL, listenFD, nil)
            listenFD = -1
        }
    }

    private func register(_ fd: Int32, events: UInt32) {
        var event = epoll_event()
        event.events = events
        event.data.fd = fd
        epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event)
    }

}
