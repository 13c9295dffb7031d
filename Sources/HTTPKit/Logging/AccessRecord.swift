/// What one access-log line reports, written in the configured format.
struct AccessRecord {
    /// The method as sent; nil when the request line could not be parsed.
    var method: String?
    /// The path as sent (escaped in JSON); nil when the request line could not be parsed.
    var path: String?
    /// The route pattern (or `unmatched`): the field to group by, which a client cannot choose.
    var route: String
    /// The response's status code.
    var status: Int
    /// The `X-Request-Id` of the response.
    var requestID: String
    /// From the head's arrival to the response being queued.
    var microseconds: UInt64
    /// Response bytes (head and body).
    var bytes: Int
    /// Why the request was malformed, for a protocol failure.
    var failure: String?

    /// Appends the line, newline included.
    func append(to out: inout [UInt8], format: LogFormat) {
        switch format {
        case .text:
            // Kept as it always was: `METHOD PATH STATUS 1.234ms ID`, or for a malformed request `... STATUS - ID REASON`.
            let line: String
            if let failure {
                line = "\(method ?? "-") \(path ?? "-") \(status) - \(requestID) \(failure)\n"
            } else {
                let millis = "\(microseconds / 1000).\(String(microseconds % 1000 + 1000).dropFirst())"
                line = "\(method ?? "-") \(path ?? "-") \(status) \(millis)ms \(requestID)\n"
            }
            out.append(contentsOf: line.utf8)
        case .json:
            var line = JSONLogLine(level: failure != nil ? "warn" : status >= 500 ? "error" : "info")
            line.field("request_id", requestID)
            line.field("method", method)
            line.field("route", route)
            line.field("path", path)
            line.field("status", status)
            line.field("duration_ms", microsecondsAsMilliseconds: microseconds)
            line.field("bytes", bytes)
            if let failure { line.field("error", failure) }
            out.append(contentsOf: line.line())
        }
    }
}
