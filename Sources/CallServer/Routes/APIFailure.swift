import CallCore
import HTTPKit

/// A CallCore `APIError` carried through HTTPKit, which renders it in the envelope.
struct APIFailure: HTTPResponseError {
    var error: APIError
    var responseHeaders: [HTTPField] = []

    var httpStatus: Int { error.status }
    var errorCode: String { error.code }
    var errorMessage: String { error.message }

    /// 401, with the challenge RFC 9110 §11.6.1 requires; the same whichever part was wrong.
    static let unauthorized = APIFailure(
        error: APIError(status: 401, code: "unauthorized",
                        message: "Missing or invalid API credentials: send X-API-KEY and X-API-SECRET."),
        responseHeaders: [HTTPField(name: "WWW-Authenticate", value: "ApiKey realm=\"calls\"")])

    /// 403 for a valid key without the route's scope.
    static func forbidden(scope: String) -> APIFailure {
        APIFailure(error: APIError(status: 403, code: "forbidden", message: "This API key lacks the \(scope) scope."))
    }

    /// 415 naming the expected media type.
    static func unsupportedMediaType(expected: String) -> APIFailure {
        APIFailure(error: APIError(
            status: 415, code: "unsupported_media_type",
            message: "Content-Type must be \(expected)."))
    }
}

/// The one place where any failure becomes an envelope response.
enum ErrorRendering {
    static func render(_ error: any HTTPResponseError, requestID: String) -> HTTPResponse {
        let envelope = APIError(status: error.httpStatus, code: error.errorCode, message: error.errorMessage)
        return .json(status: error.httpStatus, body: Envelope.error(envelope), headers: error.responseHeaders)
    }
}
