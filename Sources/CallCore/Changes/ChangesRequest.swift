/// The body of `POST /api/calls/changes`, decoded and checked in API.md's order: unknown fields, then `since`,
/// `limit`, `include_transcript`. An explicit `null` means "not given"; an empty body means every default.
public struct ChangesRequest: Sendable, Equatable {
    /// The `since` token as sent (nil: from the oldest retained change); checked against the store later.
    public var since: String?
    /// Changes per answer.
    public var limit = 100
    /// Whether upserted calls carry their transcripts.
    public var includeTranscript = false

    /// Most changes per answer.
    public static let maxLimit = 1000
    /// Most changes per answer with transcripts.
    public static let maxLimitWithTranscripts = 100
    /// The request's fields, in the order their errors are reported.
    public static let fields = ["since", "limit", "include_transcript"]

    /// All defaults.
    public init() {}

    /// Whether answering may take more than a moment (many changes, or transcripts): then it runs on the slow-work
    /// pool, not the event loop.
    public var isCostly: Bool { includeTranscript || limit > 200 }

    /// Decodes a request body.
    public static func decode(_ body: [UInt8]) throws(APIError) -> ChangesRequest {
        if body.isEmpty { return ChangesRequest() }
        let value = try body.withUnsafeBytes { raw in Result { () throws(APIError) in try FieldDecoding.parseBody(raw) } }.get()
        return try decode(value)
    }

    /// Decodes an already parsed body (the MCP `list_changes` tool takes the same object).
    public static func decode(_ value: JSONValue) throws(APIError) -> ChangesRequest {
        guard case .object(let members) = value else {
            throw APIError.invalidRequest("The request body must be a JSON object, not \(value.kindDescription).")
        }
        for member in members where !fields.contains(member.key) {
            throw FieldDecoding.unknownField(parent: "", key: member.key)
        }
        func field(_ name: String) -> JSONValue? {
            members.last { $0.key == name && !$0.value.isNull }?.value
        }
        var request = ChangesRequest()
        if let value = field("since") {
            let token = try FieldDecoding.string(value, path: "since")
            request.since = token
        }
        let limitMessage = "limit must be between 1 and \(maxLimit)."
        if let value = field("limit") {
            let limit = try FieldDecoding.integer(value, path: "limit", outOfRange: limitMessage)
            guard (1...Int64(maxLimit)).contains(limit) else { throw APIError.invalidRequest(limitMessage) }
            request.limit = Int(limit)
        }
        if let value = field("include_transcript") {
            request.includeTranscript = try FieldDecoding.bool(value, path: "include_transcript")
        }
        if request.includeTranscript && request.limit > maxLimitWithTranscripts {
            throw APIError.invalidRequest("limit must be between 1 and \(maxLimitWithTranscripts) with include_transcript.")
        }
        return request
    }

    /// The 400 for a `since` this server did not issue for this organization.
    public static let foreignSince = APIError.invalidRequest(
        "since is not a token of this organization's changes: send next_since from an earlier answer unchanged, or null to start over.")

    /// The 410 for a `since` whose history this server no longer holds.
    public static let expiredSince = APIError(
        status: 410, code: "cursor_expired",
        message: "since is older than the changes this server keeps (or from a history it no longer holds, such as a restored backup): start over with since null.")
}
