/// Turns a scanned head into an `HTTPRequestHead`: message framing, Host, persistence and
/// expectations, with every ambiguity that could frame the message two ways rejected
/// (RFC 9112 §6.3, §3.2, §9.3; RFC 9110 §10.1.1).
enum HeadInterpreter {
    /// Checks the header fields of a complete head and builds the head.
    /// Field-level errors are reported for the first offending field in arrival order; the
    /// message-level ones (Transfer-Encoding rules, missing Host) after that.
    static func makeHead(
        _ bytes: UnsafeRawBufferPointer, requestLine: RequestLine, fields: [FieldSpan]
    ) throws(HTTPParseError) -> HTTPRequestHead {
        let version = requestLine.version
        var headers = HTTPHeaders()
        headers.reserveCapacity(fields.count)
        headers.reserveBytes(fields.reduce(0) { $0 + $1.name.count + $1.value.count })
        var contentLength: Int?
        var hostCount = 0
        var transferCodings = 0
        var transferCodingIsChunked = false
        var connectionClose = false
        var connectionKeepAlive = false
        var expectsContinue = false
        assert(
            fields.allSatisfy { $0.name.lowerBound >= 0 && $0.name.upperBound <= $0.value.lowerBound && $0.value.upperBound <= bytes.count },
            "every field's name and value lie in order within the head's bytes")

        for field in fields {
            let name = UnsafeRawBufferPointer(rebasing: bytes[field.name])
            let value = UnsafeRawBufferPointer(rebasing: bytes[field.value])
            headers.append(name: name, value: value)

            switch name.count {
            case 4 where ASCII.equalsIgnoringCase(name, "host"):
                // RFC 9112 §3.2: more than one Host, or an invalid one, is a 400.
                hostCount += 1
                if hostCount > 1 { throw .duplicateHost }
                guard HostSyntax.isValidAuthority(value, allowEmpty: true, requirePort: false) else { throw .invalidHost }
            case 14 where ASCII.equalsIgnoringCase(name, "content-length"):
                // RFC 9112 §6.3 rule 5: several values are unrecoverable unless identical; we reject them all.
                if contentLength != nil { throw .duplicateContentLength }
                contentLength = try parseContentLength(value)
            case 17 where ASCII.equalsIgnoringCase(name, "transfer-encoding"):
                // Several field lines form one list (RFC 9110 §5.3); count its members across lines.
                // An empty value counts as one empty member, which is not "chunked".
                forEachListMember(value) { member in
                    transferCodings += 1
                    transferCodingIsChunked = ASCII.equalsIgnoringCase(member, "chunked")
                }
            case 10 where ASCII.equalsIgnoringCase(name, "connection"):
                forEachListMember(value) { option in
                    if ASCII.equalsIgnoringCase(option, "close") { connectionClose = true }
                    if ASCII.equalsIgnoringCase(option, "keep-alive") { connectionKeepAlive = true }
                }
            case 6 where ASCII.equalsIgnoringCase(name, "expect"):
                forEachListMember(value) { expectation in
                    if ASCII.equalsIgnoringCase(expectation, "100-continue") { expectsContinue = true }
                }
            default:
                break
            }
        }

        let isHTTP10 = version.minor == 0
        var framing = contentLength.map(HTTPBodyFraming.contentLength) ?? .none
        if transferCodings > 0 {
            // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 is a sign of a faulty or hostile intermediary.
            if isHTTP10 { throw .transferEncodingInHTTP10 }
            // RFC 9112 §6.3 rule 4: chunked must be final; any other coding we cannot decode, so
            // only a single "chunked" can be framed unambiguously.
            guard transferCodings == 1, transferCodingIsChunked else { throw .unsupportedTransferCoding }
            // RFC 9112 §6.3 rule 3: both present is a smuggling attempt; reject instead of guessing.
            if contentLength != nil { throw .contentLengthWithTransferEncoding }
            framing = .chunked
        }
        if !isHTTP10 && hostCount == 0 { throw .missingHost }

        return HTTPRequestHead(
            method: requestLine.method,
            target: requestLine.target,
            path: requestLine.path,
            query: requestLine.query,
            version: version,
            headers: headers,
            framing: framing,
            // RFC 9112 §9.3: 1.1 persists unless "close"; 1.0 only with "keep-alive".
            keepAlive: !connectionClose && (!isHTTP10 || connectionKeepAlive),
            // RFC 9110 §10.1.1: a 100-continue expectation in HTTP/1.0 MUST be ignored.
            expectsContinue: expectsContinue && !isHTTP10
        )
    }

    /// RFC 9110 §8.6: Content-Length = 1*DIGIT; a comma means a list of values.
    static func parseContentLength(_ value: UnsafeRawBufferPointer) throws(HTTPParseError) -> Int {
        if value.contains(ASCII.comma) { throw .duplicateContentLength }
        guard !value.isEmpty else { throw .invalidContentLength }
        var result = 0
        for byte in value {
            guard ByteClass.contains(byte, ByteClass.digit) else { throw .invalidContentLength }
            let (shifted, overflowA) = result.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = shifted.addingReportingOverflow(Int(byte &- 0x30))
            guard !overflowA, !overflowB else { throw .invalidContentLength }
            result = sum
        }
        return result
    }

    /// Calls `body` with each member of a comma-separated list, OWS trimmed; empty members
    /// are passed too, so that "chunked," is not taken for "chunked".
    static func forEachListMember(_ value: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        var start = 0
        while start <= value.count {
            let end = value[start...].firstIndex(of: ASCII.comma) ?? value.count
            var lower = start
            var upper = end
            while lower < upper, ASCII.isWhitespace(value[lower]) { lower += 1 }
            while upper > lower, ASCII.isWhitespace(value[upper - 1]) { upper -= 1 }
            body(UnsafeRawBufferPointer(rebasing: value[lower..<upper]))
            start = end + 1
        }
    }
}
