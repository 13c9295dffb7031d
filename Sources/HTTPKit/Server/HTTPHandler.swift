/// A route's behaviour, split the way API.md orders its checks, all before any body byte is read: `admit` runs
/// once the head is parsed (credentials, scope, path parameters) and names the body limit; the connection then
/// holds a declared length to that limit (413); `admitBody` checks what the body will be (media type) and takes
/// what the request holds (an import's slot). `respond` runs once the body is complete.
public protocol HTTPHandler: Sendable {
    /// Decides from the head whether the body may be read, and how large; throws an `HTTPResponseError` to reject.
    func admit(_ head: HTTPRequestHead, parameters: [String: String]) throws -> HTTPAdmission
    /// Decides, once the declared length is within the admission's limit, whether this body may be read; returns
    /// the admission (its context possibly replaced) or throws an `HTTPResponseError`. Accepts by default.
    func admitBody(_ head: HTTPRequestHead, _ admission: HTTPAdmission) throws -> HTTPAdmission
    /// Produces the response; a thrown `HTTPResponseError` becomes its error response, anything else a 500.
    func respond(to request: HTTPRequest) throws -> HTTPResponse
}

extension HTTPHandler {
    /// Every body within the limit is accepted unless the handler says otherwise.
    public func admitBody(_ head: HTTPRequestHead, _ admission: HTTPAdmission) throws -> HTTPAdmission {
        admission
    }
}
