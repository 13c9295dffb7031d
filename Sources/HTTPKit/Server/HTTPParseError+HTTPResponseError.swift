/// Parse failures render through `HTTPResponseError` like every other failure: the status, the API code for it and
/// the parser's reason.
extension HTTPParseError: HTTPResponseError {
    /// The status of the parse failure (400, 413, 414, 431 or 505).
    public var httpStatus: Int { status }

    /// The API error code matching the status.
    public var errorCode: String {
        switch status {
        case 413: return "payload_too_large"
        case 414: return "uri_too_long"
        case 431: return "headers_too_large"
        case 505: return "http_version_not_supported"
        default: return "bad_request"
        }
    }

    /// The parser's reason, as a sentence.
    public var errorMessage: String { "Malformed HTTP request: \(reason)." }
}
