/// A response produced by a handler; the connection adds `Date`, `Content-Length`,
/// `X-Request-Id` and `Connection`.
public struct HTTPResponse: Sendable {
    /// Status code.
    public var status: Int
    /// Extra header fields (never `Content-Length`, `Date`, `Connection`).
    public var headers: [HTTPField]
    /// The body bytes (left out on the wire for `HEAD`, 1xx, 204 and 304).
    public var body: [UInt8]
    /// Close the connection after this response.
    public var closeConnection: Bool

    /// Creates a response.
    public init(status: Int, headers: [HTTPField] = [], body: [UInt8] = [], closeConnection: Bool = false) {
        self.status = status
        self.headers = headers
        self.body = body
        self.closeConnection = closeConnection
    }

    /// A JSON response with `Content-Type: application/json; charset=utf-8`.
    public static func json(status: Int, body: [UInt8], headers: [HTTPField] = []) -> HTTPResponse {
        // The shared array is copied only when extra headers are added, not on every response.
        HTTPResponse(status: status, headers: headers.isEmpty ? jsonHeaders : jsonHeaders + headers, body: body)
    }

    private static let jsonHeaders = [HTTPField(name: "Content-Type", value: "application/json; charset=utf-8")]
}
