/// The validated parts of a request line (RFC 9112 §3).
struct RequestLine: Sendable {
    /// The method token as sent.
    var method: String
    /// The raw request-target.
    var target: String
    /// Path and query split out of the target.
    var path: String
    /// The query, if the target has a "?".
    var query: String?
    /// The version, major always 1.
    var version: HTTPVersion

    /// Builds the request line from a complete line whose method and target bytes the scanner already checked.
    static func make(
        _ bytes: UnsafeRawBufferPointer, method: Range<Int>, target: Range<Int>, version: Range<Int>
    ) throws(HTTPParseError) -> RequestLine {
        assert(method.upperBound <= target.lowerBound && target.upperBound <= version.lowerBound && version.upperBound <= bytes.count,
            "the method, target and version lie in order within the bytes")
        let parsedVersion = try parseVersion(UnsafeRawBufferPointer(rebasing: bytes[version]))
        let methodBytes = UnsafeRawBufferPointer(rebasing: bytes[method])
        let targetBytes = UnsafeRawBufferPointer(rebasing: bytes[target])
        let parsedTarget = try RequestTarget.parse(targetBytes, method: methodBytes)
        return RequestLine(
            method: String(decoding: methodBytes, as: UTF8.self),
            target: String(decoding: targetBytes, as: UTF8.self),
            path: parsedTarget.path,
            query: parsedTarget.query,
            version: parsedVersion
        )
    }

    /// RFC 9112 §2.3: HTTP-version = "HTTP/" DIGIT "." DIGIT, "HTTP" case-sensitive.
    /// RFC 9110 §2.5: a later minor version of 1 is accepted (and served as 1.1); another major is 505.
    static func parseVersion(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> HTTPVersion {
        guard bytes.count == 8,
              ASCII.equalsBytes(UnsafeRawBufferPointer(rebasing: bytes[0..<5]), "HTTP/"),
              bytes[6] == ASCII.dot,
              ByteClass.contains(bytes[5], ByteClass.digit),
              ByteClass.contains(bytes[7], ByteClass.digit)
        else { throw .invalidVersion }
        let version = HTTPVersion(major: Int(bytes[5] &- 0x30), minor: Int(bytes[7] &- 0x30))
        guard version.major == 1 else { throw .unsupportedVersion }
        return version
    }
}
