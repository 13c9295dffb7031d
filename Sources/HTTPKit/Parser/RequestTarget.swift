/// A request-target checked against its method and split into path and query (RFC 9112 §3.2).
struct RequestTarget {
    /// Path, still percent-encoded.
    var path: String
    /// Text after the first "?", if any.
    var query: String?

    /// Checks percent-encoding and the target's form, then splits path and query.
    /// The byte alphabet was already checked, byte by byte, by the head scanner.
    static func parse(_ target: UnsafeRawBufferPointer, method: UnsafeRawBufferPointer) throws(HTTPParseError) -> RequestTarget {
        try checkPercentEncoding(target)
        // RFC 9112 §3.2.3: authority-form is only for CONNECT, and CONNECT only takes authority-form.
        if ASCII.equalsBytes(method, "CONNECT") {
            guard HostSyntax.isValidAuthority(target, allowEmpty: false, requirePort: true) else {
                throw .invalidRequestTarget
            }
            return RequestTarget(path: "", query: nil)
        }
        // RFC 9112 §3.2.4: asterisk-form is only for a server-wide OPTIONS.
        if target.count == 1 && target[0] == ASCII.asterisk {
            guard ASCII.equalsBytes(method, "OPTIONS") else { throw .invalidRequestTarget }
            return RequestTarget(path: "*", query: nil)
        }
        // RFC 9112 §3.2.1: origin-form = absolute-path [ "?" query ].
        if target.first == ASCII.slash {
            return split(target, pathStart: 0, emptyPath: "/")
        }
        return try parseAbsoluteForm(target)
    }

    /// RFC 9112 §3.2.2: absolute-form, accepted for "http" and "https" with a non-empty host
    /// and no userinfo (RFC 9110 §4.2.1 and §4.2.4 ask recipients to reject those).
    private static func parseAbsoluteForm(_ target: UnsafeRawBufferPointer) throws(HTTPParseError) -> RequestTarget {
        guard let colon = target.firstIndex(of: ASCII.colon) else { throw .invalidRequestTarget }
        let scheme = UnsafeRawBufferPointer(rebasing: target[0..<colon])
        guard ASCII.equalsIgnoringCase(scheme, "http") || ASCII.equalsIgnoringCase(scheme, "https"),
              target.count >= colon + 3, target[colon + 1] == ASCII.slash, target[colon + 2] == ASCII.slash
        else { throw .invalidRequestTarget }
        let authorityStart = colon + 3
        var authorityEnd = authorityStart
        while authorityEnd < target.count, target[authorityEnd] != ASCII.slash, target[authorityEnd] != ASCII.question {
            authorityEnd += 1
        }
        let authority = UnsafeRawBufferPointer(rebasing: target[authorityStart..<authorityEnd])
        guard HostSyntax.isValidAuthority(authority, allowEmpty: false, requirePort: false) else {
            throw .invalidRequestTarget
        }
        return split(target, pathStart: authorityEnd, emptyPath: "/")
    }

    /// Path from `pathStart` up to the first "?", query after it.
    private static func split(_ target: UnsafeRawBufferPointer, pathStart: Int, emptyPath: String) -> RequestTarget {
        let rest = UnsafeRawBufferPointer(rebasing: target[pathStart...])
        let questionMark = rest.firstIndex(of: ASCII.question)
        let pathBytes = UnsafeRawBufferPointer(rebasing: rest[..<(questionMark ?? rest.count)])
        let path = pathBytes.isEmpty ? emptyPath : String(decoding: pathBytes, as: UTF8.self)
        let query = questionMark.map { String(decoding: UnsafeRawBufferPointer(rebasing: rest[($0 + 1)...]), as: UTF8.self) }
        return RequestTarget(path: path, query: query)
    }

    /// RFC 3986 §2.1: every "%" starts a pct-encoded triplet.
    private static func checkPercentEncoding(_ target: UnsafeRawBufferPointer) throws(HTTPParseError) {
        var index = 0
        while index < target.count {
            if target[index] == ASCII.percent {
                guard index + 2 < target.count,
                      ByteClass.contains(target[index + 1], ByteClass.hexDigit),
                      ByteClass.contains(target[index + 2], ByteClass.hexDigit) else { throw .invalidPercentEncoding }
                index += 3
            } else {
                index += 1
            }
        }
    }
}
