/// Serializes responses into a connection's output buffer (RFC 9112 §4, §6).
///
/// Pipelined responses go into the same buffer, which the loop then sends with one `send`; nothing
/// here formats text: status lines are made once per code and numbers are written as digits.
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
        let bodyless = status == 204 || status == 304 || (100..<200).contains(status)
        // Only an empty buffer is sized up front: `reserveCapacity` grows to exactly what is asked, so doing it
        // for each of several pipelined responses would copy the buffer every time instead of doubling it.
        if out.isEmpty { out.reserveCapacity(256 + (bodyless || omitBody ? 0 : response.body.count)) }
        out.append(contentsOf: HTTPStatusText.statusLine(status))
        out.append(contentsOf: "Date: ".utf8)
        out.append(contentsOf: date)
        for field in response.headers {
            out.append(contentsOf: "\r\n".utf8)
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: field.value.utf8)
        }
        if !bodyless {
            out.append(contentsOf: "\r\nContent-Length: ".utf8)
            appendDecimal(response.body.count, to: &out)
        }
        out.append(contentsOf: "\r\nX-Request-Id: ".utf8)
        out.append(contentsOf: requestID.utf8)
        if !keepAlive {
            out.append(contentsOf: "\r\nConnection: close\r\n\r\n".utf8)
        } else if http10KeepAlive {
            out.append(contentsOf: "\r\nConnection: keep-alive\r\n\r\n".utf8)
        } else {
            out.append(contentsOf: "\r\n\r\n".utf8)
        }
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

    /// Appends a non-negative number's decimal digits.
    private static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}
