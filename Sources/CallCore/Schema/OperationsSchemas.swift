/// JSON Schemas of the operations routes' own answers (they do not use the envelope).
public enum OperationsSchemas {
    /// `GET /healthz`'s body: `ok` while serving, `starting` while the store is being loaded.
    public static var health: JSONValue {
        SchemaVocabulary.object("Whether the server is serving.", [
            ("status", SchemaVocabulary.enumeration("ok while serving; starting while the stored calls are being loaded.", ["ok", "starting"])),
        ], required: ["status"])
    }
}
