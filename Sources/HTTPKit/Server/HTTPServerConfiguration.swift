/// Everything that tunes the server: address, limits and timeouts, with API.md's defaults.
public struct HTTPServerConfiguration: Sendable {
    /// Address to bind; `127.0.0.1` keeps the server private to the host.
    public var host: String = "127.0.0.1"
    /// Port to bind; 0 picks a free one (see `HTTPServer.port`).
    public var port: Int = 8080
    /// Event loop threads; 0 means one per CPU this process may run on.
    public var threads: Int = 0
    /// Parser limits (request target, header section, fields).
    public var limits: HTTPLimits = HTTPLimits()
    /// Default body limit for routes that do not set their own.
    public var maxBodyBytes: Int = 1 << 20
    /// Time allowed to receive a complete header section once its first byte arrived (408 after).
    public var headerTimeoutSeconds: Double = 10
    /// Time allowed between two reads of a body (408 after).
    public var bodyTimeoutSeconds: Double = 30
    /// Time an idle keep-alive connection is kept open (closed silently after).
    public var idleTimeoutSeconds: Double = 60
    /// Time a client that does not read its responses may stall a write before the connection is dropped.
    public var writeTimeoutSeconds: Double = 60
    /// Open connections allowed at once; one more gets 503 and is closed.
    public var maxConnections: Int = 10_000
    /// Pending response bytes per connection past which the server stops reading from it.
    public var outputHighWaterBytes: Int = 256 * 1024
    /// How long shutdown waits for open connections before it closes them.
    public var shutdownGraceSeconds: Double = 5

    /// Creates the default configuration.
    public init() {}
}
