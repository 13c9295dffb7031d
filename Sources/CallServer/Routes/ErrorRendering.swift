import CallCore
import HTTPKit

/// The one place where any failure becomes an envelope response.
enum ErrorRendering {
    static func render(_ error: any HTTPResponseError, requestID: String) -> HTTPResponse {
        if let failure = error as? APIFailure, let ready = failure.prerendered { return ready }
        let envelope = APIError(status: error.httpStatus, code: error.errorCode, message: error.errorMessage)
        var headers = error.responseHeaders
        // Every 503 says when to try again (API.md), whichever part of the server refused.
        if error.httpStatus == 503, !headers.contains(where: { $0.name == "Retry-After" }) {
            headers.append(HTTPField(name: "Retry-After", value: "1"))
        }
        return .json(status: error.httpStatus, body: Envelope.error(envelope), headers: headers)
    }
}
