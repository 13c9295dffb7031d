/// Serializes responses into a connection's output buffer (RFC 9112 §4, §6).
struct ResponseWriter {
    /// Appends the status line, headers and (unless suppressed) the body.
    ///
    /// `Content-Length` is always the body's length, also for `HEAD`, where the body itself is
    /// left out (RFC 9110 §9.3.2); 1xx and 204 carry neither (RFC 9110 §8.6).
    static func write(
        _ response: HTTPResponse, requestID: String, date: [UInt8], keepAlive: Bool,
        http10KeepAlive: Bool, omitBody: Bool, into out: inout [UInt8]
    ) {
        let status = response.status
        out.append(contentsOf: "HTTP/1.1 \(status) \(HTTPStatusText.reason(status))\r\n".utf8)
        out.append(contentsOf: "Date: ".utf8)
        out.append(contentsOf: date)
        out.append(contentsOf: "\r\n".utf8)
        for field in response.headers {
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: field.value.utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
        let bodyless = status == 204 || status == 304 || (100..<200).contains(status)
        if !bodyless {
            out.append(contentsOf: "Content-Length: \(response.body.count)\r\n".utf8)
        }
        out.append(contentsOf: "X-Request-Id: ".utf8)
        out.append(contentsOf: requestID.utf8)
        out.append(contentsOf: "\r\n".utf8)
        if !keepAlive {
            out.append(contentsOf: "Connection: close\r\n".utf8)
        } else if http10KeepAlive {
            out.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        out.append(contentsOf: "\r\n".utf8)
        if !bodyless && !omitBody {
            out.append(contentsOf: response.body)
        }
    }

    /// The interim response sent before reading a body the client held back (RFC 9110 §10.1.1),
    /// with `Date` and `X-Request-Id` like every other response.
    static func writeContinue(requestID: String, date: [UInt8], into out: inout [UInt8]) {
        out.append(contentsOf: "HTTP/1.1 100 Continue\r\nDate: ".utf8)
        out.append(contentsOf: date)
        out.append(contentsOf: "\r\nX-Request-Id: ".utf8)
        out.append(contentsOf: requestID.utf8)
        out.append(contentsOf: "\r\n\r\n".utf8)
    }
}
