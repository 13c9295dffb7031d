/// Writes a call as the API returns it: fields in API.md's order, nullable fields always present (as null),
/// `transcript` only when asked for, `metadata` only when the call has some.
public enum CallJSON {
    /// Writes one call object.
    public static func write(_ call: Call, includeTranscript: Bool, into writer: inout JSONWriter) {
        writer.object { object in
            object.member("id", call.id)
            object.member("call_id", call.callID)
            object.member("agent_id", call.agentID)
            object.member("organization_id", call.organizationID)
            object.member("call_status", call.status.rawValue)
            object.member("call_type", call.type.rawValue)
            object.member("direction", call.direction.rawValue)
            object.member("from_number", call.fromNumber)
            object.member("to_number", call.toNumber)
            object.member("start_timestamp", call.startTimestamp)
            object.member("end_timestamp", call.endTimestamp)
            object.member("call_duration", call.duration)
            if includeTranscript {
                object.member("transcript", call.transcript)
            }
            if !call.metadata.isEmpty {
                object.member("metadata") { value in
                    value.object { metadata in
                        for entry in call.metadata.entries { metadata.member(entry.key, entry.value) }
                    }
                }
            }
        }
    }

    /// One call object as bytes.
    public static func bytes(_ call: Call, includeTranscript: Bool) -> [UInt8] {
        var writer = JSONWriter(capacity: 400 + (includeTranscript ? call.transcript.utf8.count : 0))
        write(call, includeTranscript: includeTranscript, into: &writer)
        return writer.bytes
    }
}
