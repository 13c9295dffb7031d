/// What a handler decided from the request head alone.
public struct HTTPAdmission: Sendable {
    /// The largest body the handler accepts for this request.
    public var maxBodyBytes: Int
    /// Whatever the handler learned while admitting (e.g. the authenticated caller), handed back in `respond`.
    public var context: (any Sendable)?

    /// Creates an admission.
    public init(maxBodyBytes: Int, context: (any Sendable)? = nil) {
        self.maxBodyBytes = maxBodyBytes
        self.context = context
    }
}

/// A complete request as a handler sees it.
public struct HTTPRequest: Sendable {
    /// The parsed head.
    public var head: HTTPRequestHead
    /// Path parameters captured by the route pattern, still percent-encoded.
    public var parameters: [String: String]
    /// The body, with any chunked framing removed.
    public var body: [UInt8]
    /// The request id echoed in `X-Request-Id` and in log lines.
    public var requestID: String
    /// The context returned by `admit`.
    public var context: (any Sendable)?
}

/// A route's behaviour, split the way API.md orders its checks: `admit` runs once the head is
/// parsed (credentials, scope, path parameters, size, media type), before any body byte is read;
/// `respond` runs once the body is complete.
public protocol HTTPHandler: Sendable {
    /// Decides from the head whether the body may be read; throws an `HTTPResponseError` to reject.
    func admit(_ head: HTTPRequestHead, parameters: [String: String]) throws -> HTTPAdmission
    /// Produces the response; a thrown `HTTPResponseError` becomes its error response, anything else a 500.
    func respond(to request: HTTPRequest) throws -> HTTPResponse
}

/// How a handler that may defer answers one request: at once, on the event loop, or later through a completion.
public enum HTTPAnswer: Sendable {
    /// The response (or the error to render), produced on the event loop.
    case now(Result<HTTPResponse, any Error>)
    /// Work that will call the completion exactly once, from any thread.
    case later(@Sendable (HTTPCompletion) -> Void)
}

/// A handler whose response may be produced later, possibly on another thread (e.g. once a write is
/// durable, or on the slow-work pool). The connection answers nothing else meanwhile, so pipelined
/// responses stay in order.
public protocol HTTPDeferredHandler: HTTPHandler {
    /// Starts the work; `completion` must be called exactly once, from any thread.
    func respond(to request: HTTPRequest, completion: HTTPCompletion)
    /// Decides on the event loop how `request` is answered: a handler whose requests are usually quick answers
    /// them `.now` and defers only those that would hold the loop.
    func answer(_ request: HTTPRequest) -> HTTPAnswer
}

extension HTTPDeferredHandler {
    /// Every request is deferred to `respond(to:completion:)` unless the handler says otherwise.
    public func answer(_ request: HTTPRequest) -> HTTPAnswer {
        .later { respond(to: request, completion: $0) }
    }

    /// Deferred handlers answer through `answer` and `respond(to:completion:)` only.
    public func respond(to request: HTTPRequest) throws -> HTTPResponse {
        throw HTTPError.internalError(requestID: request.requestID)
    }
}

/// Hands a deferred response back to the event loop that owns the connection.
public struct HTTPCompletion: Sendable {
    let mailbox: LoopMailbox
    let connectionSerial: UInt64
    let fd: Int32
    let cancellation: WorkCancellation
    let pool: WorkerPool
    let retryAfterSeconds: Int

    /// Delivers the response (or the error to render) and wakes the loop.
    public func callAsFunction(_ result: Result<HTTPResponse, any Error>) {
        mailbox.post(LoopMailbox.Delivery(fd: fd, connectionSerial: connectionSerial, result: result))
    }

    /// Whether the client has gone (its answer would be thrown away).
    public var isCancelled: Bool { cancellation.isCancelled }

    /// Runs `work` on the server's slow-work pool, in `owner`'s fair share, and delivers its result (nil: the
    /// work hands its answer to this completion itself, later). A key whose share of waiting work is used up
    /// gets 429 and a full queue 503, at once; work whose client goes away before a worker reaches it is dropped.
    public func runSlow(for owner: WorkOwner, _ work: @escaping @Sendable () -> Result<HTTPResponse, any Error>?) {
        if let refusal = trySlow(for: owner, work) { self(.failure(refusal)) }
    }

    /// `runSlow`, except that a refusal (429 for the key's share, 503 for a full queue) is returned instead of
    /// delivered, for a route that answers refusals in a format of its own; nil: the work is queued.
    public func trySlow(for owner: WorkOwner, _ work: @escaping @Sendable () -> Result<HTTPResponse, any Error>?) -> HTTPError? {
        let job = WorkerPool.Job(
            owner: owner, cancellation: cancellation,
            run: { if let result = work() { self(result) } },
            drop: { self(.failure(HTTPError.clientGone)) })
        switch pool.submit(job) {
        case nil:
            return nil
        case .keyShareUsed:
            return HTTPError.slowShareUsed(waiting: pool.perKeyLimit, retryAfter: retryAfterSeconds)
        case .queueFull:
            return HTTPError.slowQueueFull(retryAfter: retryAfterSeconds)
        }
    }
}
