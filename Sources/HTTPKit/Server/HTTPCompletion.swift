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
