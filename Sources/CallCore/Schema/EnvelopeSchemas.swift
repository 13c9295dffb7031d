/// JSON Schemas of the envelope every `/api` response shares.
public enum EnvelopeSchemas {
    /// A success envelope whose `data` is `data`.
    public static func success(_ data: JSONValue) -> JSONValue {
        SchemaVocabulary.object("A successful answer.", [
            ("message", SchemaVocabulary.string("What happened, in a sentence.")),
            ("status", ["type": "string", "const": "success"]),
            ("error", ["type": "null"]),
            ("data", data),
        ], required: ["message", "status", "error", "data"])
    }

    /// An error envelope: `error` is the machine code, `message` names the offending field.
    public static var error: JSONValue {
        SchemaVocabulary.object("A refusal.", [
            ("message", SchemaVocabulary.string("What was wrong, naming the offending field or header.")),
            ("status", ["type": "string", "const": "error"]),
            ("error", SchemaVocabulary.enumeration("The machine-readable reason.", APIError.codes)),
            ("data", ["type": "null"]),
        ], required: ["message", "status", "error", "data"])
    }
}
