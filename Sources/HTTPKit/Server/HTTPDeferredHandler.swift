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
