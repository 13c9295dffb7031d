/// JSON Schemas of `POST /api/calls/changes`: its body (also the MCP `list_changes` tool's input) and its `data`
/// (the tool's output), stated from the request's constants.
public enum ChangesSchemas {
    private typealias S = SchemaVocabulary

    /// The request body: every field optional, and `null` the same as leaving it out.
    public static var request: JSONValue {
        let properties: [(String, JSONValue)] = [
            ("since", S.nullable(S.string(
                "next_since of the previous answer: the answer holds the changes made after it. Leave it out (or null) to start from the oldest change kept, which lists every current call once. A token of another organization or server is an error (400); one older than the deletions the server keeps, or from a history it no longer holds (a restored backup), is 410 cursor_expired: start over without since.",
                maxLength: 64, pattern: "^[A-Za-z0-9_-]+$"))),
            ("limit", S.nullable(S.integer(
                "Most changes per answer (at most \(ChangesRequest.maxLimitWithTranscripts) with include_transcript).",
                minimum: 1, maximum: Int64(ChangesRequest.maxLimit), default: 100))),
            ("include_transcript", S.nullable(S.boolean(
                "Whether each upserted call carries its full transcript (large: then limit is at most \(ChangesRequest.maxLimitWithTranscripts)).",
                default: false))),
        ]
        return S.object(
            "Where to continue the feed and how many changes to return. Every field is optional; an empty object starts from the oldest change kept.",
            properties
        ).setting("if", [
            "properties": ["include_transcript": ["const": true]], "required": ["include_transcript"],
        ]).setting("then", [
            "properties": ["limit": ["type": ["integer", "null"], "maximum": .integer(Int64(ChangesRequest.maxLimitWithTranscripts))]],
        ])
    }

    /// The `data` object of a changes answer.
    public static var data: JSONValue {
        let upsert = S.object("A call created or changed since `since`, as it is now.", [
            ("type", ["type": "string", "const": "upsert"]),
            ("call", CallSchemas.listedCall),
        ], required: ["type", "call"])
        let deletion = S.object("A call deleted since `since`.", [
            ("type", ["type": "string", "const": "delete"]),
            ("call_id", S.string("The deleted call's call_id.")),
            ("id", S.string("The deleted call's id (a call_id written again later is a new id).")),
            ("updated_timestamp", S.count("When the call was deleted, in milliseconds since the Unix epoch.")),
        ], required: ["type", "call_id", "id", "updated_timestamp"])
        return S.object("Changes of the caller's organization, oldest first.", [
            ("organization_id", S.string("The caller's organization.")),
            ("changes", S.list(
                "The changes in the order they became durable; a call written several times appears once, at its latest state.",
                of: ["oneOf": [upsert, deletion]], maxItems: ChangesRequest.maxLimit)),
            ("next_since", S.string("Send this as since to get the changes after this answer (even when changes is empty).")),
            ("has_more", ["type": "boolean", "description": "Whether more changes are waiting: ask again with next_since at once."]),
        ], required: ["organization_id", "changes", "next_since", "has_more"])
    }
}
