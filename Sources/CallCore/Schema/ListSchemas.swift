/// JSON Schemas of `POST /api/calls`: its body (which is also the MCP `list_calls` tool's input) and its `data`
/// (the tool's output), stated from the decoder's field lists and the query's constants.
public enum ListSchemas {
    private typealias S = SchemaVocabulary

    /// The request body: every field optional, and `null` the same as leaving it out.
    public static var request: JSONValue {
        let properties: [(String, JSONValue)] = [
            ("page", S.nullable(S.integer(
                "Zero-based page number: page p holds positions p×limit ..< (p+1)×limit of the sorted matches. A page past the end is empty, not an error. Not together with cursor.",
                minimum: 0, default: 0))),
            ("limit", S.nullable(S.integer(
                "Calls per page.", minimum: ListQuery.limitRange.lowerBound, maximum: ListQuery.limitRange.upperBound,
                default: Int64(ListQuery.defaultLimit)))),
            ("sort_by", S.nullable(S.enumeration(
                "The field the calls are ordered by. Calls without a value for it (end_timestamp and call_duration of unfinished calls) come last in either order; ties are broken by id.",
                SortField.allCases.map(\.rawValue), default: SortField.startTimestamp.rawValue))),
            ("sort_order", S.nullable(S.enumeration(
                "The direction of the order; asc and desc are short for ascending and descending.",
                ["ascending", "asc", "descending", "desc"], default: SortOrder.descending.rawValue))),
            ("include_transcript", S.nullable(S.boolean(
                "Whether each call carries its full transcript (large: ask only when the words matter).", default: false))),
            ("filter_criteria", S.nullable(filterCriteria(inAnswer: false))),
            ("cursor", S.nullable(S.string(
                "Continues a list: pagination.next_cursor of the previous answer, sent with the same sort_by, sort_order and filter_criteria (limit may change) and without page. The answer holds the calls that come right after the previous answer's last call, so paging to the end by cursor lists every call exactly once even while calls are written; a cursor of another list, organization or server is an error.",
                maxLength: ListCursor.maxTokenLength, pattern: "^[A-Za-z0-9_-]+$"))),
        ]
        return S.object(
            "Which calls to list, in which order, and which page of them. Every field is optional; an empty object lists the newest calls first.",
            properties)
    }

    /// `filter_criteria`: every criterion given must hold. In an answer (`applied_filters`) thresholds are stated
    /// as counts, without the 64-bit maximum a request is held to.
    static func filterCriteria(inAnswer: Bool) -> JSONValue {
        let maxItems = ListQuery.maxListItems
        func anyOf(_ description: String, _ item: JSONValue) -> JSONValue {
            S.nullable(S.list("\(description) An empty list is the same as leaving the field out.", of: item, maxItems: maxItems))
        }
        let properties: [(String, JSONValue)] = [
            ("call_status", anyOf(
                "Calls whose status is one of these (any case).",
                S.anyCase(CallStatus.self, "A call status."))),
            ("agent_id", anyOf("Calls handled by one of these agents (exact match).", ["type": "string"])),
            ("call_type", anyOf("Calls of one of these types (any case).", S.anyCase(CallType.self, "A call type."))),
            ("direction", anyOf("Calls in one of these directions (any case).", S.anyCase(CallDirection.self, "A direction."))),
            ("from_number", anyOf("Calls from one of these numbers (exact match, E.164 such as +14155550100).", ["type": "string"])),
            ("to_number", anyOf("Calls to one of these numbers (exact match, E.164 such as +14155550100).", ["type": "string"])),
            ("duration_ms", S.nullable(range("Calls whose duration in milliseconds is known and within both bounds (inclusive).", inAnswer: inAnswer))),
            ("start_timestamp", S.nullable(range("Calls that started within both bounds (inclusive), in milliseconds since the Unix epoch.", inAnswer: inAnswer))),
            ("transcript_search", S.nullable(S.string(
                "Words that must all occur in the transcript, in any order, as whole words; case and accents are ignored. A word ending in * matches any word it begins (refund* matches refunds); a double-quoted part is a phrase whose words must occur together in order (\"credit card\"). At most \(TranscriptQuery.maxTerms) distinct terms.",
                maxLength: ListRequestDecoder.maxTranscriptSearchLength))),
            ("updated_timestamp", S.nullable(range(
                "Calls the server last changed within both bounds (inclusive), in milliseconds since the Unix epoch: with a lower bound, the calls written since then.",
                inAnswer: inAnswer))),
        ]
        return S.object("Criteria a call must all meet to be listed; leave a field out to not filter on it.", properties)
    }

    /// A `{lower_threshold?, upper_threshold?}` range; `{}` is the same as no range.
    static func range(_ description: String, inAnswer: Bool) -> JSONValue {
        let threshold = { (description: String) in inAnswer ? S.count(description) : S.integer(description, minimum: 0) }
        return S.object(description, [
            ("lower_threshold", S.nullable(threshold("The smallest value that matches."))),
            ("upper_threshold", S.nullable(threshold("The largest value that matches; not below lower_threshold."))),
        ])
    }

    /// The `data` object of a list answer.
    public static var data: JSONValue {
        let count = S.count
        let pagination = S.object("Where this page lies among all matches.", [
            ("page", count("The page returned; for a page reached by cursor, the page its first call lies on now (total_pages when it is empty).")),
            ("limit", S.integer("Calls per page.", minimum: ListQuery.limitRange.lowerBound, maximum: ListQuery.limitRange.upperBound)),
            ("total_count", count("Every call that matches, on all pages.")),
            ("total_pages", count("ceil(total_count / limit); 0 when nothing matches.")),
            ("has_next_page", ["type": "boolean", "description": "Whether a later page holds calls."]),
            ("has_previous_page", ["type": "boolean", "description": "Whether any matching call comes before this page."]),
            ("next_cursor", S.nullable(S.string(
                "Send this as cursor (with the same query and no page) to get the calls right after this page; null when this page reaches the end."))),
        ], required: ["page", "limit", "total_count", "total_pages", "has_next_page", "has_previous_page", "next_cursor"])
        let applied = filterCriteria(inAnswer: true).setting(
            "description", "The criteria that were applied, normalized: lists lower case (status, type, direction) and without repeats, ranges with only their given bounds, the search trimmed; empty ones left out.")
        return S.object("A page of calls and where it lies.", [
            ("organization_id", S.string("The caller's organization, whose calls these are.")),
            ("calls", S.list("The calls of this page, in order.", of: CallSchemas.listedCall)),
            ("pagination", pagination),
            ("returned_count", S.integer("How many calls this page holds.", minimum: 0, maximum: ListQuery.limitRange.upperBound)),
            ("sort_order", S.enumeration("The direction of the order.", SortOrder.allCases.map(\.rawValue))),
            ("sort_by", S.enumeration("The field the calls are ordered by.", SortField.allCases.map(\.rawValue))),
            ("applied_filters", applied),
        ], required: ["organization_id", "calls", "pagination", "returned_count", "sort_order", "sort_by", "applied_filters"])
    }
}
