/// An error that knows the HTTP response it stands for: status, API error code and a message.
///
/// HTTPKit renders every failure (parser, router, timeouts, handlers) through this one protocol,
/// so the mapping from failure to response lives in a single place.
public protocol HTTPResponseError: Error, Sendable {
    /// The HTTP status code, e.g. 400.
    var httpStatus: Int { get }
    /// The short machine code of the API's error envelope, e.g. `bad_request`.
    var errorCode: String { get }
    /// A sentence a person can act on.
    var errorMessage: String { get }
    /// Headers the response must carry, e.g. `Allow` for 405 or `WWW-Authenticate` for 401.
    var responseHeaders: [HTTPField] { get }
}

extension HTTPResponseError {
    /// No extra headers by default.
    public var responseHeaders: [HTTPField] { [] }
}
