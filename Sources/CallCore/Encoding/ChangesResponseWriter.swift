/// Writes the response of `POST /api/calls/changes`.
public enum ChangesResponseWriter {
    /// The success message of the changes route.
    public static let message = "Changes retrieved successfully"

    /// The full success envelope: `data` is `{organization_id, changes, next_since, has_more}`.
    public static func envelope(page: ChangesPage, nextSince: String, organizationID: String, includeTranscript: Bool) -> [UInt8] {
        let calls = page.entries.lazy.map(\.call)
        return Envelope.success(message: message, likelyDataBytes: CallJSON.likelyBytes(calls, includeTranscript: includeTranscript)) { writer in
            writeData(page: page, nextSince: nextSince, organizationID: organizationID, includeTranscript: includeTranscript, into: &writer)
        }
    }

    /// Writes just the `data` object (the MCP `list_changes` tool returns the same object).
    public static func writeData(
        page: ChangesPage, nextSince: String, organizationID: String, includeTranscript: Bool, into writer: inout JSONWriter
    ) {
        writer.object { data in
            data.member("organization_id", organizationID)
            data.member("changes") { changes in
                changes.array { list in
                    for entry in page.entries { write(entry, includeTranscript: includeTranscript, into: &list) }
                }
            }
            data.member("next_since", nextSince)
            data.member("has_more", page.hasMore)
        }
    }

    private static func write(_ entry: ChangeEntry, includeTranscript: Bool, into writer: inout JSONWriter) {
        writer.object { change in
            if entry.isDeletion {
                change.member("type", "delete")
                change.member("call_id", entry.call.callID)
                change.member("id", entry.call.id)
                change.member("updated_timestamp", entry.deletedAt)
            } else {
                change.member("type", "upsert")
                change.member("call") { call in CallJSON.write(entry.call, includeTranscript: includeTranscript, into: &call) }
            }
        }
    }
}
