/// Everything that tunes the server: address, limits, timeouts and budgets, with API.md's defaults.
public struct HTTPServerConfiguration: Sendable {
    /// Address to bind; `127.0.0.1` keeps the server private to the host.
    public var host: String = "127.0.0.1"
    /// Port to bind; 0 picks a free one (see `HTTPServer.port`).
    public var port: Int = 8080
    /// Event loop threads; 0 means one per CPU this process may run on.
    public var threads: Int = 0
    /// Parser limits (request target, header section, fields), and the body limit of every route that names none.
    public var limits: HTTPLimits = HTTPLimits()
    /// Body limit of requests whose method takes no content (`GET`, `HEAD`, `DELETE`, `OPTIONS`): such a body is
    /// read and dropped, and a larger one is 413.
    public var maxUnusedBodyBytes: Int = 64 * 1024
    /// Bytes of request bodies all connections may hold at once; a declared length that does not fit is 503
    /// before any of it is read (a chunked body reserves its route's limit).
    public var bodyBudgetBytes: Int = 256 << 20
    /// Time allowed to receive a complete header section once its first byte arrived (408 after); also how
    /// long a new connection may stay silent (closed without a response).
    public var headerTimeoutSeconds: Double = 10
    /// Time allowed between two reads of a body (408 after).
    public var bodyTimeoutSeconds: Double = 30
    /// From this long after its header section on, a body must have arrived at `minimumBodyBytesPerSecond`
    /// on average (408 otherwise): a trickle cannot hold a connection, a slow honest upload can.
    public var bodyRateGraceSeconds: Double = 10
    /// The average rate a body must keep up once `bodyRateGraceSeconds` have passed.
    public var minimumBodyBytesPerSecond: Int = 16 * 1024
    /// Time an idle keep-alive connection is kept open (closed silently after).
    public var idleTimeoutSeconds: Double = 60
    /// Time a client that does not read its responses may stall a write before the connection is dropped.
    public var writeTimeoutSeconds: Double = 60
    /// Open connections allowed at once; one more gets 503 and is closed. Capped below the process's
    /// descriptor limit at start (`HTTPServer` raises that limit to its hard maximum first).
    public var maxConnections: Int = 10_000
    /// Descriptors kept free of connections for everything else (journal, snapshots, keys file, the loops'
    /// own); nil means 32 plus 4 per event loop.
    public var reservedDescriptors: Int?
    /// Pending response bytes per connection past which the server stops reading from it.
    public var outputHighWaterBytes: Int = 256 * 1024
    /// Response bytes waiting for clients that do not read, over all connections, past which slow work waits
    /// before it renders.
    public var outputBudgetBytes: Int = 512 << 20
    /// Threads of the slow-work pool; 0 means one per CPU this process may run on.
    public var workers: Int = 0
    /// Slow requests that may wait in the pool's queue at once (503 past it).
    public var slowQueueLimit: Int = 256
    /// Slow requests one key may have waiting at once (429 for the next).
    public var slowWaitingPerKey: Int = 4
    /// The `Retry-After` of a refusal that knows no better time.
    public var retryAfterSeconds: Int = 1
    /// How long shutdown waits for open connections before it closes them.
    public var shutdownGraceSeconds: Double = 5
    /// How long shutdown keeps idle connections open (answering 503 on them), at most `shutdownGraceSeconds`.
    public var shutdownIdleGraceSeconds: Double = 2
    /// How long input is read and dropped after the last response, before closing (RFC 9112 §9.6).
    public var lingerSeconds: Double = 2
    /// How long one round of a loop answers one connection's pipelined requests, and how long responses of a
    /// round wait for the rest of it, before the others get their turn.
    public var loopSliceSeconds: Double = 0.001
    /// A loop busy with one round for longer than this is passed over when new connections are dealt out.
    public var stalledLoopSeconds: Double = 0.005
    /// How long a loop stops accepting after the process ran out of descriptors.
    public var acceptPauseSeconds: Double = 0.1

    /// How access-log lines are written.
    public var logFormat: LogFormat = .text

    /// Creates the default configuration.
    public init() {}
}
