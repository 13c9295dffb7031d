/// Limits enforced while parsing; defaults are API.md's.
public struct HTTPLimits: Sendable, Equatable {
    /// Longest request-target accepted; longer → `.requestTargetTooLong` (414).
    public var maxRequestTargetBytes: Int = 8192
    /// Bytes of field lines (each with its CRLF, not the request line or the final empty line); over → `.headerSectionTooLarge` (431).
    public var maxHeaderSectionBytes: Int = 16384
    /// Field lines in one header (or trailer) section; over → `.tooManyHeaderFields` (431).
    public var maxHeaderFields: Int = 100
    /// Longest chunk-size line, extensions included, CRLF excluded; over → `.chunkLineTooLong`.
    public var maxChunkLineBytes: Int = 4096
    /// Longest method token; longer → `.methodTooLong`.
    public var maxMethodBytes: Int = 64
    /// Empty lines (CRLF) ignored before a request line (RFC 9112 §2.2); more → `.tooManyLeadingEmptyLines`.
    public var maxLeadingEmptyLines: Int = 8
    /// Largest request body (1 MiB): the server's body limit for every route whose `HTTPAdmission` names none of its
    /// own, and the value `HTTPRequestParser.maxBodyBytes` is reset to at every new request head.
    public var maxBodyBytes: Int = 1 << 20

    /// API.md's defaults.
    public init() {}
}
