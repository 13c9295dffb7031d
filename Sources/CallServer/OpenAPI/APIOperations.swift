import CallCore

/// The document's words for each route: what a person or a model needs to call it well.
enum APIOperations {
    private static let call = CallSchemas.call

    private static func callAnswer(_ status: Int, _ description: String, location: Bool = false) -> APIOperation.Answer {
        var headers: [(header: ResponseHeader, required: Bool)] = [(.eTag, true)]
        if location { headers.append((.location, true)) }
        return .init(status: status, description: description, content: .envelope(call), headers: headers)
    }

    static let listCalls = APIOperation(
        operationID: "list_calls",
        summary: "List calls with filtering, sorting and pagination",
        description: """
            Lists the calls of the caller's organization that meet every given criterion, sorted by sort_by in \
            sort_order, one page at a time. Every field of the body is optional and an empty body lists the newest \
            calls first (20 a page). To read every match, send the same body without page and with cursor set \
            to pagination.next_cursor until it is null: each answer continues right after the previous one's last \
            call, so no call is missed or repeated while calls are written (limit, 1–100, may change). page \
            (zero-based) jumps to a numbered page instead; pages shift when calls are written. Filters: call_status, \
            call_type and direction (any case), agent_id, from_number and to_number (exact), duration_ms, \
            start_timestamp and updated_timestamp (inclusive ranges in milliseconds; updated_timestamp is when the \
            server last changed the call) and transcript_search (all words must occur; word* for a prefix, "quoted words" for a \
            phrase). Transcripts are left out unless include_transcript is true. Needs the calls:read scope.
            """,
        tag: "calls", scope: Scope.read,
        requestBody: .init(
            mediaTypes: ["application/json"], schema: ListSchemas.request, required: false,
            description: "The query; an empty body or {} means every default.",
            example: [
                "page": 0, "limit": 50, "sort_by": "start_timestamp", "sort_order": "descending",
                "filter_criteria": [
                    "call_status": ["ongoing", "ended"], "agent_id": ["agent-123"],
                    "duration_ms": ["lower_threshold": 30000, "upper_threshold": 300000], "transcript_search": "help support",
                ],
            ]),
        answers: [.init(status: 200, description: "A page of calls, with where it lies among all matches and the filters applied.", content: .envelope(ListSchemas.data))])

    static let listChanges = APIOperation(
        operationID: "list_changes",
        summary: "Changes since a token: keep a copy of the calls in sync",
        description: """
            Returns what changed in the caller's organization since `since`, oldest first: {"type":"upsert","call":…} \
            for a call created or changed (as it is now; a call written several times appears once) and \
            {"type":"delete","call_id","id","updated_timestamp"} for a call deleted. Start with since null (every \
            current call), apply the changes in order, and ask again with next_since: while has_more is true at \
            once, later whenever the copy should catch up. A copy that applies every answer until has_more is false \
            equals the organization's calls as of that answer; no change is repeated or skipped, across restarts \
            too. Deletions are kept for the server's retention (30 days by default): a since older than that, or \
            from a restored backup, is 410 cursor_expired, and the copy starts over from since null. Needs the \
            calls:read scope.
            """,
        tag: "calls", scope: Scope.read, takesSinceToken: true,
        requestBody: .init(
            mediaTypes: ["application/json"], schema: ChangesSchemas.request, required: false,
            description: "Where to continue; an empty body or {} starts from the oldest change kept.",
            example: ["since": nil, "limit": 500]),
        answers: [.init(status: 200, description: "The changes after since, and the token to continue from.", content: .envelope(ChangesSchemas.data))])

    static let getCall = APIOperation(
        operationID: "get_call",
        summary: "Read one call with its transcript",
        description: """
            Returns the call with this call_id in the caller's organization, with its full transcript and metadata, \
            and its version in the ETag header (send it back in If-Match to update only that version). A call of \
            another organization is answered 404, like one that does not exist. Needs the calls:read scope.
            """,
        tag: "calls", scope: Scope.read, takesCallID: true,
        answers: [callAnswer(200, "The call, with its transcript.")])

    static let putCall = APIOperation(
        operationID: "put_call",
        summary: "Create or replace a call",
        description: """
            Stores the whole call under this call_id: 201 when it is new (with Location), 200 when it replaces the \
            stored one (which keeps its id). ENDED and ERROR calls need end_timestamp (not before start_timestamp); \
            other statuses must not have one. call_duration is derived and may be left out; updated_timestamp is set \
            by the server (a body carrying it is refused), and a replacement that changes nothing keeps it and the \
            ETag. With If-Match, only the version named is replaced (412 otherwise). The answer is durable. Needs the \
            calls:write scope.
            """,
        tag: "calls", scope: Scope.write, takesCallID: true, honoursIfMatch: true, addsCalls: true,
        requestBody: .init(
            mediaTypes: ["application/json"], schema: WriteSchemas.put, required: true, description: "The call.",
            example: [
                "agent_id": "agent-1", "call_status": "ENDED", "call_type": "PHONE_CALL", "direction": "INBOUND",
                "from_number": "+15551234567", "to_number": nil, "start_timestamp": 1703097600000, "end_timestamp": 1703097780000,
                "transcript": "Customer: I need help with a refund.", "metadata": ["campaign": "spring-1"],
            ]),
        answers: [
            callAnswer(200, "The call was replaced; the stored call."),
            callAnswer(201, "The call was created; the stored call.", location: true),
        ])

    static let patchCall = APIOperation(
        operationID: "patch_call",
        summary: "Change some fields of a call",
        description: """
            Merges the given fields into the stored call (for instance call_status ENDED with its end_timestamp when \
            a call finishes). null clears from_number, to_number, metadata or end_timestamp; null for any other field \
            is refused, and so is updated_timestamp (the server's). The merged call must pass every rule of a PUT \
            body; a patch that changes nothing keeps updated_timestamp and the ETag. With If-Match, only the version \
            named is changed (412 otherwise). Needs the calls:write scope.
            """,
        tag: "calls", scope: Scope.write, takesCallID: true, honoursIfMatch: true,
        requestBody: .init(
            mediaTypes: ["application/json", "application/merge-patch+json"], schema: WriteSchemas.patch, required: true,
            description: "The fields to change.",
            example: ["call_status": "ENDED", "end_timestamp": 1703097780000]),
        answers: [callAnswer(200, "The call as changed.")])

    static let deleteCall = APIOperation(
        operationID: "delete_call",
        summary: "Delete a call",
        description: """
            Removes the call and returns it as it was. With If-Match, only the version named is removed (412 \
            otherwise). Needs the calls:write scope.
            """,
        tag: "calls", scope: Scope.write, takesCallID: true, honoursIfMatch: true,
        answers: [callAnswer(200, "The removed call.")])

    static let importCalls = APIOperation(
        operationID: "import_calls",
        summary: "Create or replace many calls at once (NDJSON)",
        description: """
            Stores every call of an NDJSON body (application/x-ndjson: one JSON object per line, each a PUT body \
            with its call_id), all or nothing: a bad line, or a call_id given twice, stores nothing and is a 400 \
            naming the line (1-based). Blank lines are skipped but counted. An organization runs one import at a \
            time: another while one runs is 429 (rate_limited, with Retry-After). Needs the calls:write scope.
            """,
        tag: "calls", scope: Scope.write, addsCalls: true,
        requestBody: .init(
            mediaTypes: ["application/x-ndjson"],
            schema: WriteSchemas.importBody,
            required: false, description: "One call per line; an empty body imports nothing."),
        answers: [.init(status: 200, description: "Every call was stored.", content: .envelope(WriteSchemas.importData))])

    static let health = APIOperation(
        operationID: "health",
        summary: "Whether the server is serving",
        description: "200 while the server serves requests; 503 while it loads its stored calls at startup, or shuts down. Needs no credentials.",
        tag: "operations", scope: nil,
        answers: [
            .init(status: 200, description: "Serving.", content: .json(OperationsSchemas.health)),
            .init(
                status: 503, description: "Starting (the body says so) or shutting down (the error envelope); try again after Retry-After.",
                content: .jsonOneOf([OperationsSchemas.health, EnvelopeSchemas.error]), headers: [(.retryAfter, true)]),
        ])

    static let metrics = APIOperation(
        operationID: "metrics",
        summary: "Counters and gauges for Prometheus",
        description: "The server's metrics in the Prometheus text format 0.0.4. No organization ids, keys or call data appear in them. Needs no credentials.",
        tag: "operations", scope: nil,
        answers: [.init(status: 200, description: "The metrics.", content: .prometheusText)])
}
