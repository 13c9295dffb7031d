/// An error the API reports to a client: the HTTP status, the machine code of API.md's table, and a sentence naming what to fix.
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The HTTP status code.
    public var status: Int
    /// The short machine code (`invalid_request`, `not_found`, …).
    public var code: String
    /// A sentence a person can act on; names the offending field when there is one.
    public var message: String

    /// Creates an error from its parts.
    public init(status: Int, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// `status code: message`, for logs and test failures.
    public var description: String { "\(status) \(code): \(message)" }
}

extension APIError {
    /// 400 `invalid_request`: malformed JSON, unknown field, wrong type, value out of range.
    public static func invalidRequest(_ message: String) -> APIError {
        APIError(status: 400, code: "invalid_request", message: message)
    }

    /// 400 `bad_request`: malformed HTTP.
    public static func badRequest(_ message: String) -> APIError {
        APIError(status: 400, code: "bad_request", message: message)
    }
    /// 400 `bad_request` with a generic message.
    public static var badRequest: APIError { badRequest("The request is not valid HTTP/1.1.") }

    /// 401 `unauthorized`: one message whichever credential was missing or wrong, so it reveals nothing.
    public static func unauthorized(_ message: String) -> APIError {
        APIError(status: 401, code: "unauthorized", message: message)
    }
    /// 401 `unauthorized` with the standard message.
    public static var unauthorized: APIError {
        unauthorized("Missing or invalid credentials: send a valid X-API-KEY and X-API-SECRET.")
    }

    /// 403 `forbidden`: the key lacks the scope.
    public static func forbidden(_ message: String) -> APIError {
        APIError(status: 403, code: "forbidden", message: message)
    }
    /// 403 `forbidden` naming the missing scope.
    public static func forbidden(missingScope scope: String) -> APIError {
        forbidden("This API key lacks the \(scope) scope.")
    }
    /// 403 `forbidden` with a generic message.
    public static var forbidden: APIError { forbidden("This API key lacks the scope this route needs.") }

    /// 404 `not_found`.
    public static func notFound(_ message: String) -> APIError {
        APIError(status: 404, code: "not_found", message: message)
    }
    /// 404 `not_found` for an unknown route.
    public static var notFound: APIError { notFound("No such route.") }
    /// 404 `not_found` for a call that does not exist in the caller's organization.
    public static func callNotFound(_ callID: String) -> APIError {
        notFound("No call with call_id \(callID) exists.")
    }

    /// 405 `method_not_allowed` (the response also carries `Allow`).
    public static func methodNotAllowed(_ message: String) -> APIError {
        APIError(status: 405, code: "method_not_allowed", message: message)
    }
    /// 405 `method_not_allowed` with a generic message.
    public static var methodNotAllowed: APIError { methodNotAllowed("This route does not support that method.") }

    /// 408 `request_timeout`.
    public static func requestTimeout(_ message: String) -> APIError {
        APIError(status: 408, code: "request_timeout", message: message)
    }
    /// 408 `request_timeout` with a generic message.
    public static var requestTimeout: APIError { requestTimeout("The request was not received in time.") }

    /// 412 `precondition_failed`: `If-Match` does not match the current `ETag`.
    public static func preconditionFailed(_ message: String) -> APIError {
        APIError(status: 412, code: "precondition_failed", message: message)
    }
    /// 412 `precondition_failed` with a generic message.
    public static var preconditionFailed: APIError {
        preconditionFailed("If-Match does not match the call's current ETag; fetch it again and retry.")
    }

    /// 413 `payload_too_large`.
    public static func payloadTooLarge(_ message: String) -> APIError {
        APIError(status: 413, code: "payload_too_large", message: message)
    }
    /// 413 `payload_too_large` naming the limit in bytes.
    public static func payloadTooLarge(limit: Int) -> APIError {
        payloadTooLarge("The request body is larger than the limit of \(limit) bytes.")
    }
    /// 413 `payload_too_large` with a generic message.
    public static var payloadTooLarge: APIError { payloadTooLarge("The request body is too large.") }

    /// 414 `uri_too_long`.
    public static func uriTooLong(_ message: String) -> APIError {
        APIError(status: 414, code: "uri_too_long", message: message)
    }
    /// 414 `uri_too_long` with a generic message.
    public static var uriTooLong: APIError { uriTooLong("The request target is longer than 8 KiB.") }

    /// 415 `unsupported_media_type`.
    public static func unsupportedMediaType(_ message: String) -> APIError {
        APIError(status: 415, code: "unsupported_media_type", message: message)
    }
    /// 415 `unsupported_media_type` naming the media type the route takes.
    public static func unsupportedMediaType(expected mediaType: String) -> APIError {
        unsupportedMediaType("Content-Type must be \(mediaType).")
    }
    /// 415 `unsupported_media_type` for JSON routes.
    public static var unsupportedMediaType: APIError { unsupportedMediaType(expected: "application/json") }

    /// 429 `rate_limited` (the response also carries `Retry-After`).
    public static func rateLimited(_ message: String) -> APIError {
        APIError(status: 429, code: "rate_limited", message: message)
    }
    /// 429 `rate_limited` with a generic message.
    public static var rateLimited: APIError { rateLimited("Too many requests for this API key; retry later.") }

    /// 431 `headers_too_large`.
    public static func headersTooLarge(_ message: String) -> APIError {
        APIError(status: 431, code: "headers_too_large", message: message)
    }
    /// 431 `headers_too_large` with a generic message.
    public static var headersTooLarge: APIError {
        headersTooLarge("The header section is larger than 16 KiB or has more than 100 fields.")
    }

    /// 507 `quota_exceeded`: the write would pass the organization's stored-calls quota.
    public static func quotaExceeded(_ message: String) -> APIError {
        APIError(status: 507, code: "quota_exceeded", message: message)
    }

    /// 500 `internal_error`; the message carries the request id, never internals.
    public static func internalError(requestID: String) -> APIError {
        APIError(status: 500, code: "internal_error", message: "Internal error (request id \(requestID)).")
    }

    /// 503 `unavailable`.
    public static func unavailable(_ message: String) -> APIError {
        APIError(status: 503, code: "unavailable", message: message)
    }
    /// 503 `unavailable` with a generic message.
    public static var unavailable: APIError { unavailable("The server is unavailable; retry later.") }

    /// 505 `http_version_not_supported`.
    public static func httpVersionNotSupported(_ message: String) -> APIError {
        APIError(status: 505, code: "http_version_not_supported", message: message)
    }
    /// 505 `http_version_not_supported` with a generic message.
    public static var httpVersionNotSupported: APIError {
        httpVersionNotSupported("Only HTTP/1.x is supported.")
    }
}

extension APIError {
    /// Every machine code of API.md's table, in the table's order (the OpenAPI document and tool schemas enumerate them).
    public static let codes = [
        "invalid_request", "bad_request", "unauthorized", "forbidden", "not_found", "method_not_allowed",
        "request_timeout", "cursor_expired", "precondition_failed", "payload_too_large", "uri_too_long",
        "unsupported_media_type", "rate_limited", "headers_too_large", "quota_exceeded", "internal_error", "unavailable",
        "http_version_not_supported",
    ]
}
