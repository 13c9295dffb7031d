import HTTPKit

/// `GET /openapi.json` (and `HEAD`): the document, rendered once at startup, served as the same bytes every time.
struct OpenAPIHandler: HTTPHandler {
    let document: [UInt8]

    func admit(_ head: HTTPRequestHead, parameters: [String: String]) throws -> HTTPAdmission {
        // Not this route's limit: a GET's body is capped and dropped by the server's rule for routes that take none.
        HTTPAdmission(maxBodyBytes: .max)
    }

    func respond(to request: HTTPRequest) throws -> HTTPResponse {
        .json(status: 200, body: document)
    }
}
