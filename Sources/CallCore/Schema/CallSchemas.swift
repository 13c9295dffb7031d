/// JSON Schemas of the call record as the API returns it and as write bodies carry it, stated from `CallRecordRules`.
public enum CallSchemas {
    private typealias S = SchemaVocabulary

    /// `call_id`: 1–128 characters of `[A-Za-z0-9._:-]`, never a reserved route name.
    public static var callID: JSONValue {
        let reserved: [JSONValue] = CallRecordRules.reservedCallIDs.map { .string($0) }
        return S.string(
            "The platform's id of the call, unique within the organization.",
            minLength: 1, maxLength: CallRecordRules.maxIDLength, pattern: "^[A-Za-z0-9._:-]+$"
        ).setting("not", ["enum": .array(reserved)])
    }

    static var id: JSONValue {
        S.string("The server's id of the call (a lower-case UUID), assigned at creation.", pattern: "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
    }

    static var agentID: JSONValue {
        S.string("The agent that handled the call.", minLength: 1, maxLength: CallRecordRules.maxIDLength)
    }

    static func phoneNumber(_ description: String) -> JSONValue {
        S.nullable(S.string("\(description), in E.164 form: + and 7 to 15 digits.", pattern: "^\\+[0-9]{7,15}$"))
    }

    static func timestamp(_ description: String) -> JSONValue {
        S.integer("\(description), in milliseconds since the Unix epoch.", minimum: 0, maximum: CallRecordRules.maxTimestamp)
    }

    static var duration: JSONValue {
        S.nullable(S.integer(
            "end_timestamp − start_timestamp in milliseconds; null until the call has ended.",
            minimum: 0, maximum: CallRecordRules.maxTimestamp))
    }

    static var transcript: JSONValue {
        // A character is one to four bytes: the byte limit is stated as the character bound it implies at most.
        S.string(
            "What was said, at most \(CallRecordRules.maxTranscriptBytes / 1024) KiB of UTF-8.",
            maxLength: CallRecordRules.maxTranscriptBytes)
    }

    static var metadata: JSONValue {
        [
            "type": "object",
            "description": .string("The platform's own key–value pairs: at most \(CallRecordRules.maxMetadataKeys) keys of 1–\(CallRecordRules.maxMetadataKeyLength) characters, values of at most \(CallRecordRules.maxMetadataValueLength) characters."),
            "maxProperties": .integer(Int64(CallRecordRules.maxMetadataKeys)),
            "propertyNames": ["minLength": 1, "maxLength": .integer(Int64(CallRecordRules.maxMetadataKeyLength))],
            "additionalProperties": ["type": "string", "maxLength": .integer(Int64(CallRecordRules.maxMetadataValueLength))],
        ]
    }

    /// The stored fields every returned call carries, in API.md's order.
    private static var storedFields: [(String, JSONValue)] {
        [
            ("id", id),
            ("call_id", callID),
            ("agent_id", agentID),
            ("organization_id", S.string("The organization the call belongs to (the caller's).")),
            ("call_status", S.enumeration("The call's state; ENDED and ERROR calls have an end_timestamp.", CallStatus.allCases.map(\.rawValue))),
            ("call_type", S.enumeration("How the call was placed.", CallType.allCases.map(\.rawValue))),
            ("direction", S.enumeration("Which side placed the call.", CallDirection.allCases.map(\.rawValue))),
            ("from_number", phoneNumber("The calling number, if known")),
            ("to_number", phoneNumber("The called number, if known")),
            ("start_timestamp", timestamp("When the call started")),
            ("end_timestamp", S.nullable(timestamp("When the call ended (ENDED and ERROR calls only)"))),
            ("call_duration", duration),
            ("updated_timestamp", timestamp(
                "When the server last changed the call (set at every write that changes a stored field, never decreasing; a write that changes nothing keeps it)")),
        ]
    }

    private static let alwaysPresent = [
        "id", "call_id", "agent_id", "organization_id", "call_status", "call_type", "direction",
        "from_number", "to_number", "start_timestamp", "end_timestamp", "call_duration", "updated_timestamp",
    ]

    /// A call as a list returns it: `transcript` only when asked for, `metadata` only when it has some.
    public static var listedCall: JSONValue {
        S.object("A call.", storedFields + [("transcript", transcript), ("metadata", metadata)], required: alwaysPresent)
    }

    /// A call as the single-call routes return it, always with its transcript.
    public static var call: JSONValue {
        S.object("A call with its transcript.", storedFields + [("transcript", transcript), ("metadata", metadata)], required: alwaysPresent + ["transcript"])
    }

    /// The input of reading one call: its `call_id`.
    public static var callReference: JSONValue {
        S.object("Which call to read.", [("call_id", callID)], required: ["call_id"])
    }
}
