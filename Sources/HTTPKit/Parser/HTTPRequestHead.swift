/// A parsed and validated request line plus header section.
public struct HTTPRequestHead: Sendable, Equatable {
    /// The method as sent (a case-sensitive token, RFC 9110 §9.1).
    public var method: String
    /// The raw request-target.
    public var target: String
    /// Path component, still percent-encoded; "/" for absolute-form with an empty path, "*" for asterisk-form, "" for authority-form.
    public var path: String
    /// The part after the first "?", or nil when the target has none.
    public var query: String?
    /// 1.0, 1.1 or a later 1.x (the caller serves it as 1.1, RFC 9110 §2.5).
    public var version: HTTPVersion
    /// The header fields in arrival order.
    public var headers: HTTPHeaders
    /// How the body is delimited.
    public var framing: HTTPBodyFraming
    /// Whether the connection may stay open after this request (RFC 9112 §9.3).
    public var keepAlive: Bool
    /// Whether the client sent `Expect: 100-continue` in HTTP/1.1 or later (RFC 9110 §10.1.1).
    public var expectsContinue: Bool

    /// A head from its parts (the parser fills every field; tests and other components may build their own).
    public init(
        method: String, target: String, path: String, query: String?, version: HTTPVersion,
        headers: HTTPHeaders, framing: HTTPBodyFraming, keepAlive: Bool, expectsContinue: Bool
    ) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
        self.framing = framing
        self.keepAlive = keepAlive
        self.expectsContinue = expectsContinue
    }
}
