/// Why a request was rejected: one case per protocol violation (llhttp / NIO `HTTPParserError` style).
///
/// Every case means "close the connection after answering": the byte stream can no
/// longer be framed with certainty (RFC 9112 §11.2).
public enum HTTPParseError: Error, Sendable, Equatable, CaseIterable {
    // Request line (RFC 9112 §3).
    /// More empty lines before the request line than `HTTPLimits.maxLeadingEmptyLines`.
    case tooManyLeadingEmptyLines
    /// Not `method SP request-target SP HTTP-version CRLF`.
    case invalidRequestLine
    /// The method contains a byte that is not a token character.
    case invalidMethod
    /// The method is longer than `HTTPLimits.maxMethodBytes`.
    case methodTooLong
    /// A request-target byte outside RFC 3986, or a form the method does not allow.
    case invalidRequestTarget
    /// A "%" in the request-target not followed by two hex digits.
    case invalidPercentEncoding
    /// The request-target is longer than `HTTPLimits.maxRequestTargetBytes` (414).
    case requestTargetTooLong
    /// The version is not `HTTP/` digit `.` digit.
    case invalidVersion
    /// A major version other than 1 (505).
    case unsupportedVersion

    // Field lines (RFC 9112 §5, RFC 9110 §5).
    /// A field name that is empty or holds a non-token byte.
    case invalidHeaderName
    /// A field line without a colon.
    case missingHeaderColon
    /// Whitespace between a field name and its colon (RFC 9112 §5.1).
    case whitespaceBeforeColon
    /// A field value holding NUL, DEL or another control byte other than HTAB.
    case invalidHeaderValue
    /// A field line starting with SP or HTAB: obsolete line folding (RFC 9112 §5.2).
    case obsFold
    /// Whitespace between the request line and the first field line (RFC 9112 §2.2).
    case whitespaceAfterStartLine
    /// A CR not followed by LF.
    case bareCR
    /// An LF not preceded by CR (we require CRLF line endings).
    case bareLF
    /// Field lines longer in total than `HTTPLimits.maxHeaderSectionBytes` (431).
    case headerSectionTooLarge
    /// More field lines than `HTTPLimits.maxHeaderFields` (431).
    case tooManyHeaderFields

    // Host (RFC 9112 §3.2).
    /// An HTTP/1.1 request without Host.
    case missingHost
    /// More than one Host field line.
    case duplicateHost
    /// A Host value that is not `uri-host [":" port]`.
    case invalidHost

    // Framing (RFC 9112 §6).
    /// Two Content-Length field lines, or a list of values.
    case duplicateContentLength
    /// A Content-Length that is not 1*DIGIT within 63 bits.
    case invalidContentLength
    /// Both Transfer-Encoding and Content-Length (RFC 9112 §6.3 rule 3).
    case contentLengthWithTransferEncoding
    /// Transfer-Encoding other than exactly one `chunked`.
    case unsupportedTransferCoding
    /// Transfer-Encoding in an HTTP/1.0 request (RFC 9112 §6.1).
    case transferEncodingInHTTP10

    // Chunked transfer coding (RFC 9112 §7.1).
    /// A chunk size that is missing or not hexadecimal.
    case invalidChunkSize
    /// A chunk size that does not fit in 63 bits.
    case chunkSizeOverflow
    /// A chunk extension that is not `;name[=token|quoted-string]`.
    case invalidChunkExtension
    /// A chunk-size line longer than `HTTPLimits.maxChunkLineBytes`.
    case chunkLineTooLong
    /// Chunk data not followed by exactly CRLF.
    case missingChunkDataTerminator
    /// A trailer field that must not be sent as a trailer (framing or routing, RFC 9110 §6.5.1).
    case invalidTrailer
    /// Chunked body bytes beyond `HTTPRequestParser.maxBodyBytes` (413).
    case bodyTooLarge

    /// The response status for this error: 400, 413, 414, 431 or 505.
    public var status: Int {
        switch self {
        case .requestTargetTooLong: 414
        case .headerSectionTooLarge, .tooManyHeaderFields: 431
        case .bodyTooLarge: 413
        case .unsupportedVersion: 505
        default: 400
        }
    }

    /// A short human sentence for logs and the error message.
    public var reason: String {
        switch self {
        case .tooManyLeadingEmptyLines: "Too many empty lines before the request line"
        case .invalidRequestLine: "Malformed request line"
        case .invalidMethod: "Invalid method"
        case .methodTooLong: "Method too long"
        case .invalidRequestTarget: "Invalid request target"
        case .invalidPercentEncoding: "Invalid percent-encoding in request target"
        case .requestTargetTooLong: "Request target too long"
        case .invalidVersion: "Invalid HTTP version"
        case .unsupportedVersion: "HTTP version not supported"
        case .invalidHeaderName: "Invalid header field name"
        case .missingHeaderColon: "Header field line without a colon"
        case .whitespaceBeforeColon: "Whitespace between header field name and colon"
        case .invalidHeaderValue: "Invalid character in header field value"
        case .obsFold: "Obsolete line folding in header section"
        case .whitespaceAfterStartLine: "Whitespace between request line and first header field"
        case .bareCR: "CR not followed by LF"
        case .bareLF: "LF without CR"
        case .headerSectionTooLarge: "Header section too large"
        case .tooManyHeaderFields: "Too many header fields"
        case .missingHost: "Missing Host header"
        case .duplicateHost: "Duplicate Host header"
        case .invalidHost: "Invalid Host header"
        case .duplicateContentLength: "Duplicate Content-Length"
        case .invalidContentLength: "Invalid Content-Length"
        case .contentLengthWithTransferEncoding: "Content-Length with Transfer-Encoding"
        case .unsupportedTransferCoding: "Unsupported Transfer-Encoding"
        case .transferEncodingInHTTP10: "Transfer-Encoding in an HTTP/1.0 request"
        case .invalidChunkSize: "Invalid chunk size"
        case .chunkSizeOverflow: "Chunk size too large"
        case .invalidChunkExtension: "Invalid chunk extension"
        case .chunkLineTooLong: "Chunk size line too long"
        case .missingChunkDataTerminator: "Chunk data not followed by CRLF"
        case .invalidTrailer: "Trailer field not allowed"
        case .bodyTooLarge: "Request body too large"
        }
    }
}
