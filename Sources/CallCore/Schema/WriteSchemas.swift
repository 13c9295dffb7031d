/// JSON Schemas of the write bodies (`PUT`, `PATCH`, an import line) and of the import's answer, stated from
/// `CallRecordRules` and the assembler's rules for each kind of body.
public enum WriteSchemas {
    private typealias S = SchemaVocabulary

    /// The fields a write body may carry, in API.md's order; `id`, `organization_id` and `updated_timestamp` (set by
    /// the server) are never among them, so a body carrying one is refused.
    static func fields(callID: JSONValue) -> [(String, JSONValue)] {
        [
            ("call_id", callID),
            ("agent_id", CallSchemas.agentID),
            ("call_status", S.anyCase(CallStatus.self, "The call's state (any case); ENDED and ERROR calls carry an end_timestamp, the others must not.")),
            ("call_type", S.anyCase(CallType.self, "How the call was placed (any case).")),
            ("direction", S.anyCase(CallDirection.self, "Which side placed the call (any case).")),
            ("from_number", CallSchemas.phoneNumber("The calling number, or null when unknown")),
            ("to_number", CallSchemas.phoneNumber("The called number, or null when unknown")),
            ("start_timestamp", CallSchemas.timestamp("When the call started")),
            ("end_timestamp", S.nullable(CallSchemas.timestamp("When the call ended, not before start_timestamp (ENDED and ERROR calls only)"))),
            ("call_duration", S.nullable(S.integer(
                "Derived by the server: leave it out, or give exactly end_timestamp − start_timestamp.", minimum: 0, maximum: CallRecordRules.maxTimestamp))),
            ("transcript", S.nullable(CallSchemas.transcript)),
            ("metadata", S.nullable(CallSchemas.metadata)),
        ]
    }

    private static let requiredFields = ["agent_id", "call_status", "call_type", "direction", "start_timestamp"]

    /// ENDED and ERROR calls carry an integer `end_timestamp`; the other statuses carry none (or null).
    private static func endTimestampRule(_ schema: JSONValue) -> JSONValue {
        let ended = CallStatus.allCases.filter(\.hasEnded)
        return schema
            .setting("if", [
                "properties": ["call_status": S.anyCase(ended.map(\.rawValue), "A status of a call that has ended.")],
                "required": ["call_status"],
            ])
            .setting("then", ["properties": ["end_timestamp": ["type": "integer"]], "required": ["end_timestamp"]])
            .setting("else", ["properties": ["end_timestamp": ["type": "null"]]])
    }

    /// The body of `PUT /api/calls/{call_id}`: the whole record; `null` for an optional field is the same as
    /// leaving it out.
    public static var put: JSONValue {
        endTimestampRule(S.object(
            "The whole call, without id, organization_id and updated_timestamp (the server sets them). call_id may be left out; if given it must equal the path's.",
            fields(callID: S.nullable(CallSchemas.callID)), required: requiredFields))
    }

    /// One line of `POST /api/calls/import`: a `PUT` body that names its `call_id`.
    public static var importLine: JSONValue {
        endTimestampRule(S.object(
            "One call per line: a PUT body that carries its call_id (so without id, organization_id and updated_timestamp).",
            fields(callID: CallSchemas.callID), required: ["call_id"] + requiredFields))
    }

    /// The body of `POST /api/calls/import`, stated as the list of its lines (each line one `importLine` object).
    public static var importBody: JSONValue {
        S.list("The calls, one JSON object per line of the body (blank lines are skipped).", of: importLine)
    }

    /// The body of `PATCH /api/calls/{call_id}`: a top-level merge into the stored call.
    public static var patch: JSONValue {
        let clearable: Set = ["from_number", "to_number", "end_timestamp", "metadata"]
        // A field that cannot be cleared loses its `null` alternative: PATCH answers 400 to it.
        let properties = fields(callID: CallSchemas.callID).map { name, schema in
            (name, clearable.contains(name) ? schema : S.nonNull(schema))
        }
        return S.object(
            "The fields to change (updated_timestamp is the server's and cannot be given); the others keep their values. A patch that changes nothing keeps the call, its updated_timestamp and its ETag. null clears from_number, to_number, metadata and end_timestamp (null for any other field is refused); metadata and transcript are replaced whole. The merged call must pass every rule of a PUT body (for instance, moving to ENDED needs an end_timestamp).",
            properties)
    }

    /// The `data` of an import's answer.
    public static var importData: JSONValue {
        let count = S.count
        return S.object("What the import did.", [
            ("lines", count("Lines in the body, blank lines included.")),
            ("imported", count("Calls stored: created + replaced.")),
            ("created", count("Calls that did not exist before.")),
            ("replaced", count("Calls that existed and were replaced (they keep their id).")),
        ], required: ["lines", "imported", "created", "replaced"])
    }
}
