/// One header field of a response.
public struct HTTPField: Sendable, Equatable {
    /// Field name as it will be written.
    public var name: String
    /// Field value; must not contain CR or LF.
    public var value: String

    /// Creates a field.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

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

/// Reason phrases for the statuses this server sends.
enum HTTPStatusText {
    /// `HTTP/1.1 <status> <reason>\r\n` as bytes, made once per status code.
    static func statusLine(_ status: Int) -> [UInt8] {
        let index = status - 100
        return statusLines.indices.contains(index) ? statusLines[index] : Array("HTTP/1.1 \(status) \(reason(status))\r\n".utf8)
    }

    private static let statusLines: [[UInt8]] = (100..<600).map { Array("HTTP/1.1 \($0) \(reason($0))\r\n".utf8) }

    static func reason(_ status: Int) -> String {
        switch status {
        case 100: return "Continue"
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 304: return "Not Modified"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 412: return "Precondition Failed"
        case 413: return "Content Too Large"
        case 414: return "URI Too Long"
        case 415: return "Unsupported Media Type"
        case 429: return "Too Many Requests"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 503: return "Service Unavailable"
        case 505: return "HTTP Version Not Supported"
        default: return "Status"
        }
    }
}
