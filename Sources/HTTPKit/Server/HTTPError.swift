/// The failures HTTPKit itself produces outside the parser.
public struct HTTPError: HTTPResponseError, Equatable {
    /// The HTTP status code.
    public var httpStatus: Int
    /// The API error code.
    public var errorCode: String
    /// The human-readable message.
    public var errorMessage: String
    /// Extra response headers.
    public var responseHeaders: [HTTPField]

    /// Creates an error with the given status, code, message and extra headers.
    public init(status: Int, code: String, message: String, headers: [HTTPField] = []) {
        self.httpStatus = status
        self.errorCode = code
        self.errorMessage = message
        self.responseHeaders = headers
    }

    /// 404: no route for the path.
    public static func notFound(path: String) -> HTTPError {
        HTTPError(status: 404, code: "not_found", message: "No route for path \(path).")
    }

    /// 405: the path exists but not with this method.
    public static func methodNotAllowed(method: String, allow: [String]) -> HTTPError {
        let list = allow.joined(separator: ", ")
        return HTTPError(
            status: 405, code: "method_not_allowed",
            message: "Method \(method) is not allowed here; allowed: \(list).",
            headers: [HTTPField(name: "Allow", value: list)])
    }

    /// 408: the client was too slow to send its request.
    public static let requestTimeout = HTTPError(
        status: 408, code: "request_timeout", message: "The request was not received in time.")

    /// 413: the body exceeds the route's limit.
    public static func payloadTooLarge(limit: Int) -> HTTPError {
        HTTPError(
            status: 413, code: "payload_too_large",
            message: "Request body exceeds the limit of \(limit) bytes.")
    }

    /// 503: the server is shutting down or at its connection limit; worth a retry after `retryAfter` seconds.
    public static func unavailable(_ message: String, retryAfter: Int = 1) -> HTTPError {
        HTTPError(
            status: 503, code: "unavailable", message: message,
            headers: [HTTPField(name: "Retry-After", value: String(retryAfter))])
    }

    /// 503 for a request whose declared body does not fit the memory budget of bodies in flight.
    public static func bodyBudgetFull(retryAfter: Int) -> HTTPError {
        .unavailable("The server is receiving too many request bodies at once; retry shortly.", retryAfter: retryAfter)
    }

    /// 429 for a key that already has its share of slow requests waiting.
    public static func slowShareUsed(waiting: Int, retryAfter: Int) -> HTTPError {
        HTTPError(
            status: 429, code: "rate_limited",
            message: "This API key already has \(waiting) slow requests waiting; retry once they are answered.",
            headers: [HTTPField(name: "Retry-After", value: String(retryAfter))])
    }

    /// 503 when the slow-work queue is full.
    public static func slowQueueFull(retryAfter: Int) -> HTTPError {
        .unavailable("The server has too much slow work queued; retry shortly.", retryAfter: retryAfter)
    }

    /// The answer to a request dropped because its client went away (nobody reads it).
    static let clientGone = HTTPError.unavailable("The client closed the connection before the answer was ready.")

    /// 500: a bug; the message carries the request id so an operator can find the log line.
    public static func internalError(requestID: String) -> HTTPError {
        HTTPError(
            status: 500, code: "internal_error",
            message: "Internal error; quote request id \(requestID) when reporting it.")
    }
}
