import CallCore

/// The responses and headers the document's operations share: one refusal per status, each in the error envelope
/// with the codes that status carries.
enum OpenAPIResponses {
    /// A refusal status: what it means, the `error` codes it carries, and its headers.
    private struct Refusal {
        var status: Int
        var description: String
        var codes: [String]
        var headers: [(header: ResponseHeader, required: Bool)] = []
    }

    private static let all: [Refusal] = [
        .init(status: 400, description: "The body or a parameter breaks a rule (invalid_request; the message names the field), or the HTTP message is malformed (bad_request).", codes: ["invalid_request", "bad_request"]),
        .init(status: 401, description: "X-API-KEY and X-API-SECRET are missing or wrong (the same answer whichever part was).", codes: ["unauthorized"], headers: [(.wwwAuthenticate, true)]),
        .init(status: 403, description: "The key lacks the scope this operation needs.", codes: ["forbidden"]),
        .init(status: 404, description: "No call with this call_id in the caller's organization.", codes: ["not_found"]),
        .init(status: 405, description: "The path names another route (import and changes are reserved: never a call_id), which does not allow this method.", codes: ["method_not_allowed"], headers: [(.allow, true)]),
        .init(status: 408, description: "The request was not received in time.", codes: ["request_timeout"]),
        .init(status: 410, description: "since is older than the deletions the server keeps, or from a history it no longer holds (a restored backup): list again from since null.", codes: ["cursor_expired"]),
        .init(status: 412, description: "If-Match does not name the call's current ETag (or the call does not exist).", codes: ["precondition_failed"]),
        .init(status: 413, description: "The body is over the configured limit (1 MiB by default; imports 64 MiB).", codes: ["payload_too_large"]),
        .init(status: 414, description: "The request target is over 8 KiB.", codes: ["uri_too_long"]),
        .init(status: 415, description: "Content-Type is not this operation's media type.", codes: ["unsupported_media_type"]),
        .init(status: 429, description: "The key's request rate, or its share of slow work, is used up; try again after Retry-After.", codes: ["rate_limited"], headers: [(.retryAfter, true), (.rateLimitPolicy, false), (.rateLimit, false)]),
        .init(status: 431, description: "The header section is over 16 KiB or 100 fields.", codes: ["headers_too_large"]),
        .init(status: 500, description: "A bug; the message carries a request id.", codes: ["internal_error"]),
        .init(status: 503, description: "Shutting down, starting, or out of capacity for now; try again after Retry-After.", codes: ["unavailable"], headers: [(.retryAfter, true)]),
        .init(status: 505, description: "The HTTP major version is not 1.", codes: ["http_version_not_supported"]),
        .init(status: 507, description: "The write would pass the organization's stored-calls quota; nothing was changed.", codes: ["quota_exceeded"]),
    ]

    /// `components.responses`: one per refusal status, keyed by the status.
    static var refusals: JSONValue {
        .object(all.map { refusal in
            let schema = EnvelopeSchemas.error.setting(
                "properties", (EnvelopeSchemas.error["properties"] ?? [:]).setting(
                    "error", ["type": "string", "description": "The machine-readable reason.", "enum": .array(refusal.codes.map { .string($0) })]))
            return (key: String(refusal.status), value: response(refusal.description, content: ["application/json": ["schema": schema]], headers: refusal.headers))
        })
    }

    /// One of an operation's own answers.
    static func answer(_ answer: APIOperation.Answer) -> JSONValue {
        let content: JSONValue
        switch answer.content {
        case .envelope(let data): content = ["application/json": ["schema": EnvelopeSchemas.success(data)]]
        case .json(let schema): content = ["application/json": ["schema": schema]]
        case .jsonOneOf(let schemas): content = ["application/json": ["schema": ["oneOf": .array(schemas)]]]
        case .prometheusText: content = ["text/plain": ["schema": ["type": "string", "description": "Prometheus text format 0.0.4."]]]
        }
        return response(answer.description, content: content, headers: answer.headers)
    }

    private static func response(_ description: String, content: JSONValue, headers: [(header: ResponseHeader, required: Bool)]) -> JSONValue {
        var response: JSONValue = ["description": .string(description), "content": content]
        if !headers.isEmpty {
            response = response.setting("headers", .object(headers.map { header, required in
                (key: header.rawValue, value: ["description": .string(header.description), "required": .bool(required), "schema": header.schema])
            }))
        }
        return response
    }
}
