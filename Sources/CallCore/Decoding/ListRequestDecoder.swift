/// Decodes and validates the body of `POST /api/calls` into a `ListQuery`, reporting the first problem in API.md's order:
/// unknown fields, then `page`, `limit`, `sort_by`, `sort_order`, `include_transcript`, `filter_criteria`
/// (inside it unknown fields, then `call_status`, `agent_id`, `call_type`, `direction`, `from_number`, `to_number`,
/// `duration_ms`, `start_timestamp`, `transcript_search`, `updated_timestamp`), then `cursor` (its form here, and that `page` is not
/// also given; whether the server issued it for this list is checked once the query meets the store). An explicit `null` means "not given". A filter list holds at
/// most `ListQuery.maxListItems` items as sent, a search at most `TranscriptQuery.maxTerms` distinct terms.
public enum ListRequestDecoder {
    /// Longest accepted `transcript_search`, in characters (Unicode scalars).
    public static let maxTranscriptSearchLength = 1000

    static let topLevelFields: [String] = ["page", "limit", "sort_by", "sort_order", "include_transcript", "filter_criteria", "cursor"]
    static let filterFields: [String] = [
        "call_status", "agent_id", "call_type", "direction", "from_number", "to_number",
        "duration_ms", "start_timestamp", "transcript_search", "updated_timestamp",
    ]
    static let rangeFields: [String] = ["lower_threshold", "upper_threshold"]

    /// Decodes a request body; zero bytes means all defaults.
    public static func decode(_ body: [UInt8]) throws(APIError) -> ListQuery {
        try body.withUnsafeBytes { raw in
            Result { () throws(APIError) in try decode(raw) }
        }.get()
    }

    /// Decodes a request body; zero bytes means all defaults.
    ///
    /// A valid body is decoded straight from its bytes; anything that reader does not accept goes through the
    /// JSON tree, which finds the first problem and words its error.
    public static func decode(_ body: UnsafeRawBufferPointer) throws(APIError) -> ListQuery {
        if body.isEmpty { return ListQuery() }
        if let query = ListRequestBytes.decode(body) { return query }
        return try decodeThroughTree(body)
    }

    /// Decodes a non-empty body through the JSON tree (the path every error takes).
    static func decodeThroughTree(_ body: UnsafeRawBufferPointer) throws(APIError) -> ListQuery {
        try decode(FieldDecoding.parseBody(body))
    }

    /// Decodes an already parsed body (the MCP `list_calls` tool takes the same object).
    public static func decode(_ value: JSONValue) throws(APIError) -> ListQuery {
        guard case .object(let members) = value else {
            throw APIError.invalidRequest("The request body must be a JSON object, not \(value.kindDescription).")
        }
        let fields = try collect(members, allowed: topLevelFields, parent: "")
        var query = ListQuery()
        if let value = fields["page"] {
            let page = try FieldDecoding.integer(value, path: "page", outOfRange: "page must be a non-negative integer that fits in 64 bits.")
            guard page >= 0 else { throw APIError.invalidRequest("page must be 0 or greater.") }
            query.page = page
        }
        if let value = fields["limit"] {
            let limit = try FieldDecoding.integer(value, path: "limit", outOfRange: "limit must be between 1 and 100.")
            guard ListQuery.limitRange.contains(limit) else { throw APIError.invalidRequest("limit must be between 1 and 100.") }
            query.limit = Int(limit)
        }
        if let value = fields["sort_by"] {
            let name = try FieldDecoding.string(value, path: "sort_by")
            guard let field = SortField(rawValue: name) else {
                throw APIError.invalidRequest(
                    "sort_by must be one of \(SortField.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            query.sortBy = field
        }
        if let value = fields["sort_order"] {
            let name = try FieldDecoding.string(value, path: "sort_order")
            guard let order = SortOrder(wireName: name) else {
                throw APIError.invalidRequest("sort_order must be one of ascending, asc, descending, desc.")
            }
            query.sortOrder = order
        }
        if let value = fields["include_transcript"] {
            query.includeTranscript = try FieldDecoding.bool(value, path: "include_transcript")
        }
        if let value = fields["filter_criteria"] {
            query.filter = try decodeFilter(value)
        }
        if let value = fields["cursor"] {
            let token = try FieldDecoding.string(value, path: "cursor")
            guard fields["page"] == nil else {
                throw APIError.invalidRequest("cursor and page cannot be given together: send cursor alone to continue a list, or page alone to jump to a page.")
            }
            guard let cursor = ListCursor(token: token) else { throw ListCursorSigner.invalid }
            query.cursor = cursor
        }
        return query
    }

    // MARK: - filter_criteria

    private static func decodeFilter(_ value: JSONValue) throws(APIError) -> CallFilter {
        let parent = "filter_criteria"
        let members = try FieldDecoding.object(value, path: parent)
        let fields = try collect(members, allowed: filterFields, parent: parent)
        var filter = CallFilter()
        filter.statuses = try enumerationList(fields, "call_status", parent: parent, as: CallStatus.self)
        filter.agentIDs = try stringList(fields, "agent_id", parent: parent)
        filter.types = try enumerationList(fields, "call_type", parent: parent, as: CallType.self)
        filter.directions = try enumerationList(fields, "direction", parent: parent, as: CallDirection.self)
        filter.fromNumbers = try stringList(fields, "from_number", parent: parent)
        filter.toNumbers = try stringList(fields, "to_number", parent: parent)
        filter.duration = try range(fields, "duration_ms", parent: parent)
        filter.startTimestamp = try range(fields, "start_timestamp", parent: parent)
        if let value = fields["transcript_search"] {
            let path = { FieldDecoding.path(parent, "transcript_search") }
            let text = try FieldDecoding.string(value, path: path())
            guard CallRecordRules.hasLength(text, in: 0...maxTranscriptSearchLength) else {
                throw APIError.invalidRequest("\(path()) must be at most \(maxTranscriptSearchLength) characters.")
            }
            // An empty string, or one without words, is the same as no search.
            let search = TranscriptQuery(text)
            if let search, search.phrases.count > TranscriptQuery.maxTerms {
                throw APIError.invalidRequest(
                    "\(path()) must hold at most \(TranscriptQuery.maxTerms) distinct terms (words, prefixes and phrases); it has \(search.phrases.count).")
            }
            filter.transcriptSearch = search
        }
        filter.updatedTimestamp = try range(fields, "updated_timestamp", parent: parent)
        return filter
    }

    private static func stringList(_ fields: KnownMembers, _ name: String, parent: String) throws(APIError) -> [String] {
        guard let value = fields[name] else { return [] }
        // Paths are spelled only for an error message.
        let path = { FieldDecoding.path(parent, name) }
        guard case .array(let items) = value else {
            throw FieldDecoding.wrongType(path(), expected: "a list of strings", got: value)
        }
        try checkListLength(items, path: path())
        var result: [String] = []
        result.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            result.append(try FieldDecoding.string(item, path: "\(path())[\(index)]"))
        }
        return result.uniquedInOrder()
    }

    private static func enumerationList<Value: CallEnumeration>(
        _ fields: KnownMembers, _ name: String, parent: String, as type: Value.Type
    ) throws(APIError) -> [Value] {
        guard let value = fields[name] else { return [] }
        let path = { FieldDecoding.path(parent, name) }
        guard case .array(let items) = value else {
            throw FieldDecoding.wrongType(path(), expected: "a list of strings", got: value)
        }
        try checkListLength(items, path: path())
        var result: [Value] = []
        for (index, item) in items.enumerated() {
            let itemPath = { "\(path())[\(index)]" }
            let text = try FieldDecoding.string(item, path: itemPath())
            guard let parsed = Value(caseInsensitive: text) else {
                throw APIError.invalidRequest("\(itemPath()) must be one of \(Value.namesForMessages) (any case).")
            }
            result.append(parsed)
        }
        return result.uniquedInOrder()
    }

    /// The list cap is the list's own error, checked before its items: a list too long is refused whatever it holds.
    private static func checkListLength(_ items: [JSONValue], path: @autoclosure () -> String) throws(APIError) {
        guard items.count > ListQuery.maxListItems else { return }
        throw APIError.invalidRequest("\(path()) must hold at most \(ListQuery.maxListItems) items (repeats included); it has \(items.count).")
    }

    private static func range(_ fields: KnownMembers, _ name: String, parent: String) throws(APIError) -> ThresholdRange? {
        guard let value = fields[name] else { return nil }
        let path = { FieldDecoding.path(parent, name) }
        let members = try FieldDecoding.object(value, path: path())
        let bounds = try collect(members, allowed: rangeFields, parent: path())
        let lower = try threshold(bounds["lower_threshold"], path: FieldDecoding.path(path(), "lower_threshold"))
        let upper = try threshold(bounds["upper_threshold"], path: FieldDecoding.path(path(), "upper_threshold"))
        if let lower, let upper, lower > upper {
            throw APIError.invalidRequest("\(path()).lower_threshold must not be greater than \(path()).upper_threshold.")
        }
        let range = ThresholdRange(lower: lower, upper: upper)
        // `{}` (or only nulls) is the same as leaving the range out.
        return range.isUnbounded ? nil : range
    }

    private static func threshold(_ value: JSONValue?, path: @autoclosure () -> String) throws(APIError) -> Int64? {
        guard let value else { return nil }
        let number = try FieldDecoding.integer(value, path: path(), outOfRange: "\(path()) must be a non-negative integer that fits in 64 bits.")
        guard number >= 0 else { throw APIError.invalidRequest("\(path()) must be 0 or greater.") }
        return number
    }

    // MARK: - Members

    /// Checks every key against `allowed` (reporting the first unknown one in document order) and returns the
    /// non-null values by name; `null` is dropped because it means "not given".
    private static func collect(
        _ members: [(key: String, value: JSONValue)], allowed: [String], parent: @autoclosure () -> String
    ) throws(APIError) -> KnownMembers {
        for member in members where !allowed.contains(member.key) {
            throw FieldDecoding.unknownField(parent: parent(), key: member.key)
        }
        return KnownMembers(members: members)
    }
}

extension ListRequestDecoder {
    /// An object's members once every key is known to be allowed: looked up by name in the few members a request has,
    /// which costs less than hashing them into a dictionary.
    private struct KnownMembers {
        let members: [(key: String, value: JSONValue)]

        /// The value of `name`, nil when absent or `null` (the last non-null one when a key repeats).
        subscript(name: String) -> JSONValue? {
            members.last { $0.key == name && !$0.value.isNull }?.value
        }
    }
}
