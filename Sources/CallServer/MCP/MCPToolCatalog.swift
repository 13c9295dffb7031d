import CallCore

/// The tools `/mcp` offers, described for a model: names, what they return, how to page, and their JSON Schemas
/// (taken from CallCore's schemas of the REST bodies, so tool and route cannot drift apart).
enum MCPToolCatalog {
    /// The tool reading a page of calls (`POST /api/calls`).
    static let listCalls = "list_calls"
    /// The tool reading one call (`GET /api/calls/{call_id}`).
    static let getCall = "get_call"
    /// The tool reading the changes feed (`POST /api/calls/changes`).
    static let listChanges = "list_changes"

    static let listCallsDescription = """
        Lists the calls of your organization (the one your API key belongs to), one page at a time. The input is \
        exactly the body of POST /api/calls and every field is optional: {} returns the 20 newest calls. \
        Filters in filter_criteria combine with AND: a call is listed only when it meets every criterion given; \
        within one list (call_status, agent_id, call_type, direction, from_number, to_number) any of its values \
        matches. Ranges (duration_ms, start_timestamp, updated_timestamp) are inclusive and in milliseconds \
        (timestamps since the Unix epoch); updated_timestamp is when the server last changed a call, so \
        {"updated_timestamp":{"lower_threshold":T}} lists the calls written since T. transcript_search needs \
        every word to occur in the transcript, ignoring case and accents; refund* matches words starting with \
        refund, and "credit card" (in double quotes) is a phrase. \
        Returns calls (without transcripts unless include_transcript is true), pagination, returned_count, the \
        sort used and applied_filters (the criteria as normalized and applied). total_count and total_pages are \
        exact counts of every matching call. To read further, repeat the same input without page and with \
        cursor set to pagination.next_cursor, until next_cursor is null: each answer continues right after the \
        previous one's last call, so no call is skipped or repeated while calls are being written (limit, 1 to \
        100, default 20, may change between pages; sort_by, sort_order and filter_criteria may not). page jumps \
        to a numbered page instead (page 0 is the first), but numbered pages shift when calls are written \
        between two requests. Use get_call for one call's \
        full transcript. A bad input is an error result naming the field (error invalid_request).
        """

    static let getCallDescription = """
        Reads one call of your organization by its call_id (the platform's id, as list_calls returns it), with \
        its full transcript and its metadata, if any. A call_id that does not exist in your organization is an \
        error result with error not_found.
        """

    static let listChangesDescription = """
        Lists what changed in your organization's calls since a token, oldest first, to keep a copy up to date \
        or to see what happened recently. The input is exactly the body of POST /api/calls/changes: {} (or \
        since null) starts from the oldest change kept, which lists every current call once; then repeat with \
        since set to next_since. Each change is {"type":"upsert","call":{…}} (the call as it is now; a call \
        written several times appears once) or {"type":"delete","call_id","id","updated_timestamp"} (a deleted \
        call). has_more true means more changes wait: ask again with next_since at once. limit is 1 to 1000 \
        (default 100; at most 100 with include_transcript). A since that is too old, or from a restored backup, \
        is an error result with error cursor_expired: start over with since null. A token of another \
        organization is an error result with error invalid_request.
        """

    /// `tools/list`'s `result`, made once: `{"tools":[…]}`.
    static let listing: [UInt8] = {
        let tools: JSONValue = [
            "tools": [
                tool(listCalls, title: "List calls", description: listCallsDescription,
                     input: ListSchemas.request, output: ListSchemas.data),
                tool(getCall, title: "Get a call", description: getCallDescription,
                     input: CallSchemas.callReference, output: CallSchemas.call),
                tool(listChanges, title: "List changes", description: listChangesDescription,
                     input: ChangesSchemas.request, output: ChangesSchemas.data),
            ],
        ]
        return tools.jsonBytes
    }()

    private static func tool(_ name: String, title: String, description: String, input: JSONValue, output: JSONValue) -> JSONValue {
        [
            "name": .string(name),
            "title": .string(title),
            "description": .string(description),
            "inputSchema": input,
            "outputSchema": output,
            // They only read the caller's own calls, so a client may call them without asking the user.
            "annotations": [
                "title": .string(title), "readOnlyHint": true, "destructiveHint": false,
                "idempotentHint": true, "openWorldHint": false,
            ],
        ]
    }
}
