import CSystem
import Foundation
import Glibc
import Synchronization

/// An HTTP/1.1 server: one listening socket, one `epoll` event loop per core.
public final class HTTPServer: Sendable {
    private let core: ServerCore
    private let listener: ListeningSocket
    private let loops: [EventLoop]
    private let handoff: ConnectionHandoff

    /// The port actually bound (useful with port 0).
    public var port: Int { listener.port }

    /// Binds the listening socket and prepares the loops; nothing is served until `run()`. With `metrics`, the loops
    /// count requests and refusals into it.
    public init(
        configuration: HTTPServerConfiguration, router: HTTPRouter,
        renderError: @escaping HTTPErrorRenderer, accessLog: AccessLog? = nil, metrics: HTTPMetrics? = nil
    ) throws(SocketError) {
        let cores = max(1, Int(csystem_affinity_cpu_count()))
        let count = configuration.threads > 0 ? configuration.threads : cores
        let descriptors = DescriptorLimit.raiseToHard()
        // Room for what is not a connection: stdio, the listener, each loop's epoll, eventfd and spare
        // descriptor, the journal, snapshots being written, the keys file being re-read.
        let reserved = configuration.reservedDescriptors ?? 32 + 4 * count
        let connectionLimit = max(1, min(configuration.maxConnections, descriptors - reserved))
        let core = ServerCore(
            configuration: configuration, router: router, renderError: renderError, accessLog: accessLog,
            metrics: metrics, connectionLimit: connectionLimit, cores: cores)
        let listener = try ListeningSocket.open(host: configuration.host, port: configuration.port)
        var wakeFDs: [Int32] = []
        for _ in 0..<count {
            let fd = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
            guard fd >= 0 else {
                let code = errno
                for open in wakeFDs { close(open) }
                throw SocketError(operation: "eventfd", code: code)
            }
            wakeFDs.append(fd)
        }
        let mailboxes = wakeFDs.map(LoopMailbox.init)
        let handoff = ConnectionHandoff(
            mailboxes: mailboxes, stalledNanoseconds: UInt64(max(0, configuration.stalledLoopSeconds) * 1e9))
        var loops: [EventLoop] = []
        for (index, mailbox) in mailboxes.enumerated() {
            loops.append(try EventLoop(core: core, listenFD: listener.fd, index: index, handoff: handoff, mailbox: mailbox))
        }
        metrics?.attach(routeLabels: core.routeLabels, loops: loops.compactMap(\.metrics), core: core)
        self.core = core
        self.listener = listener
        self.loops = loops
        self.handoff = handoff
    }

    /// Serves until `shutdown()` has drained the connections; returns then.
    public func run() {
        signal(SIGPIPE, SIG_IGN)
        let group = DispatchGroup()
        for (index, loop) in loops.enumerated() {
            group.enter()
            let thread = Thread {
                loop.run()
                group.leave()
            }
            thread.name = "http-loop-\(index)"
            thread.stackSize = 4 << 20
            thread.start()
        }
        group.wait()
        close(listener.fd)
    }

    /// Stops accepting at once, answers new requests with 503, lets in-flight ones finish, and makes
    /// `run()` return once connections are drained (bounded by the shutdown grace).
    public func shutdown() {
        guard !core.draining.exchange(true, ordering: .relaxed) else { return }
        // Closing the listener first means the kernel refuses new connections immediately.
        Glibc.shutdown(listener.fd, Int32(SHUT_RDWR))
        for loop in loops { loop.wake() }
    }

    /// Whether `shutdown()` was called.
    public var isShuttingDown: Bool { core.draining.load(ordering: .relaxed) }

    /// Connections allowed at once (the configured cap, lowered to fit the descriptor limit).
    public var connectionLimit: Int { core.connectionLimit }

    /// Slow requests waiting for a worker now.
    public var slowQueueDepth: Int { core.workers.depth }

    /// Connections open right now.
    public var openConnections: Int { core.openConnections.load(ordering: .relaxed) }

    /// Connections each event loop serves right now (accepted connections are dealt out to the loops in turn).
    public var connectionsPerLoop: [Int] { handoff.servingPerLoop }
}
