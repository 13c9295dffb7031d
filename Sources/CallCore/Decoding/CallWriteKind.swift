/// What a call body is being decoded for; decides which fields are allowed, which are required, and what `null` means.
public enum CallWriteKind: Sendable {
    /// A bulk-load NDJSON line: the full record plus `organization_id` (required), `id` (optional lower-case UUID; a
    /// fresh one when absent) and `updated_timestamp` (optional: kept by journal replay; a startup load stamps anew).
    case importLine
    /// A `PUT` body, or one line of `POST /api/calls/import`: the record without `id` and `organization_id`.
    /// With a `pathCallID` the body's `call_id` is optional and must equal it; without one the body must carry `call_id`.
    case createOrReplace(organizationID: String, id: String, pathCallID: String?)
    /// A `PATCH` body merged into `current`: every field optional, `null` clears `from_number`, `to_number`, `metadata`
    /// and `end_timestamp` and is a 400 for any other field; the merged call must pass every `PUT` rule.
    case patch(current: Call)
}
