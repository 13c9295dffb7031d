/// The journal's record format for store changes: one line per mutation, `U` followed by the call as
/// an import line (it carries `id`, `organization_id` and `updated_timestamp`, which records written before that
/// field existed lack), or `D` followed by
/// `{"organization_id":…,"call_id":…,"deleted_at":…}` (`deleted_at` absent in older records). A batch (e.g. one
/// import request) is one record, so it is replayed all or nothing. A record that is one line `E` followed by
/// `{"epoch":"<16 hex digits>"}` marks a server start (`ChangeLog`'s epochs).
public enum MutationRecord {
    /// Encodes a batch as one record.
    public static func encode(_ batch: [CallMutation]) -> [UInt8] {
        var out: [UInt8] = []
        // Room for every line as it likely comes out, so a large batch (an import) is never copied to grow: pages
        // reserved past what is written are never touched, and cost no memory.
        out.reserveCapacity(batch.reduce(0) { room, mutation in
            switch mutation {
            case .upsert(let call): return room + 2 + CallJSON.likelyBytes(call, includeTranscript: true)
            case .delete: return room + 128
            }
        })
        for (index, mutation) in batch.enumerated() {
            if index > 0 { out.append(UInt8(ascii: "\n")) }
            switch mutation {
            case .upsert(let call):
                out.append(UInt8(ascii: "U"))
                out.append(contentsOf: CallJSON.bytes(call, includeTranscript: true))
            case .delete(let organizationID, let callID, let deletedAt):
                out.append(UInt8(ascii: "D"))
                var writer = JSONWriter()
                writer.object { object in
                    object.member("organization_id", organizationID)
                    object.member("call_id", callID)
                    if deletedAt != 0 { object.member("deleted_at", deletedAt) }
                }
                out.append(contentsOf: writer.bytes)
            }
        }
        return out
    }

    /// The record marking the start of epoch `id`.
    public static func epoch(_ id: UInt64) -> [UInt8] {
        let hex = String(id, radix: 16)
        return Array(("E{\"epoch\":\"" + String(repeating: "0", count: 16 - hex.count) + hex + "\"}").utf8)
    }

    /// Decodes any record the journal holds: a mutation batch or an epoch mark.
    public static func decodeEntry(_ record: [UInt8], legacyUpdatedTimestamp: Int64) throws(APIError) -> JournalEntry {
        guard record.first == UInt8(ascii: "E") else {
            return .mutations(try decode(record, legacyUpdatedTimestamp: legacyUpdatedTimestamp))
        }
        guard case .string(let hex)? = (try? JSONReader.parse(record.dropFirst()))?["epoch"], hex.utf8.count == 16,
            let id = UInt64(hex, radix: 16)
        else { throw corrupt("bad epoch mark") }
        return .epoch(id)
    }

    /// Decodes a record written by `encode`; anything else is reported as corrupt. A call without `updated_timestamp`
    /// (written by a release before it) gets `legacyUpdatedTimestamp`.
    public static func decode(_ record: [UInt8], legacyUpdatedTimestamp: Int64) throws(APIError) -> [CallMutation] {
        var mutations: [CallMutation] = []
        var start = 0
        while start < record.count {
            var end = start
            while end < record.count && record[end] != UInt8(ascii: "\n") { end += 1 }
            mutations.append(try decodeLine(record[start..<end], legacyUpdatedTimestamp: legacyUpdatedTimestamp))
            start = end + 1
        }
        return mutations
    }

    private static func decodeLine(_ line: ArraySlice<UInt8>, legacyUpdatedTimestamp: Int64) throws(APIError) -> CallMutation {
        guard let kind = line.first else { throw corrupt("empty mutation line") }
        let body = line.dropFirst()
        switch kind {
        case UInt8(ascii: "U"):
            return .upsert(try CallRecordDecoder.decodeImportLine(body, updatedWhenAbsent: legacyUpdatedTimestamp))
        case UInt8(ascii: "D"):
            let value: JSONValue
            do {
                value = try JSONReader.parse(body)
            } catch {
                throw corrupt("delete line is not JSON: \(error.message)")
            }
            guard case .string(let organizationID)? = value["organization_id"],
                  case .string(let callID)? = value["call_id"] else {
                throw corrupt("delete line lacks organization_id or call_id")
            }
            // Records written before deletions carried their time lack it: 0, "not known".
            var deletedAt: Int64 = 0
            if case .integer(let time)? = value["deleted_at"] { deletedAt = time }
            return .delete(organizationID: organizationID, callID: callID, deletedAt: deletedAt)
        default:
            throw corrupt("unknown mutation kind \(kind)")
        }
    }

    private static func corrupt(_ detail: String) -> APIError {
        APIError(status: 500, code: "internal_error", message: "Journal record is not a mutation batch: \(detail).")
    }
}
