import CallCore
import HTTPKit

/// A CallCore `APIError` carried through HTTPKit, which renders it in the envelope.
struct APIFailure: HTTPResponseError {
    var error: APIError
    var responseHeaders: [HTTPField] = []
    /// The response, made in advance for failures that are always the same (401 is answered to
    /// every request without credentials, so it is rendered once, not once per request).
    var prerendered: HTTPResponse?

    var httpStatus: Int { error.status }
    var errorCode: String { error.code }
    var errorMessage: String { error.message }

    /// 401, with the challenge RFC 9110 §11.6.1 requires; the same whichever part was wrong.
    static let unauthorized: APIFailure = {
        var failure = APIFailure(
            error: APIError(status: 401, code: "unauthorized",
                            message: "Missing or invalid API credentials: send X-API-KEY and X-API-SECRET."),
            responseHeaders: [HTTPField(name: "WWW-Authenticate", value: "ApiKey realm=\"calls\"")])
        failure.prerendered = ErrorRendering.render(failure, requestID: "")
        return failure
    }()

    /// 403 for a valid key without the route's scope.
    static func forbidden(scope: String) -> APIFailure {
        APIFailure(error: APIError(status: 403, code: "forbidden", message: "This API key lacks the \(scope) scope."))
    }

    /// 429 for an import while another of the same organization runs (API.md names no code of its own for it:
    /// `rate_limited` is the code of every 429).
    static let importRunning = APIFailure(
        error: .rateLimited("An import for this organization is already running; retry once it has been answered."),
        responseHeaders: [HTTPField(name: "Retry-After", value: "1")])

    /// 415 naming the expected media type.
    static func unsupportedMediaType(expected: String) -> APIFailure {
        APIFailure(error: APIError(
            status: 415, code: "unsupported_media_type",
            message: "Content-Type must be \(expected)."))
    }
}
