/// A route's behaviour, split the way API.md orders its checks: `admit` runs once the head is
/// parsed (credentials, scope, path parameters, size, media type), before any body byte is read;
/// `respond` runs once the body is complete.
public protocol HTTPHandler: Sendable {
    /// Decides from the head whether the body may be read; throws an `HTTPResponseError` to reject.
    func admit(_ head: HTTPRequestHead, parameters: [String: String]) throws -> HTTPAdmission
    /// Produces the response; a thrown `HTTPResponseError` becomes its error response, anything else a 500.
    func respond(to request: HTTPRequest) throws -> HTTPResponse
}
