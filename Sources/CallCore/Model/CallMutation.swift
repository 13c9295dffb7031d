/// One change to the store, as journaled and applied: create or replace a call by
/// (organization, `call_id`), or remove one.
public enum CallMutation: Sendable, Equatable {
    /// Create the call, or replace the one with the same organization and `call_id` (the caller keeps `id` stable).
    case upsert(Call)
    /// Remove the call with this `call_id` from the organization, if present, at `deletedAt` (milliseconds; 0 when
    /// not known, as in records written before deletions carried it).
    case delete(organizationID: String, callID: String, deletedAt: Int64 = 0)
}
