/// Writes a call as the API returns it: fields in API.md's order, nullable fields always present (as null),
/// `transcript` only when asked for, `metadata` only when the call has some.
///
/// A page writes this for every call, so names and enumeration values are encoded constants copied
/// in one piece; only the call's own strings go through escaping.
public enum CallJSON {
    /// Writes one call object.
    public static func write(_ call: Call, includeTranscript: Bool, into writer: inout JSONWriter) {
        writer.beginObject()
        writer.fixedKey(#""id":"#)
        writer.string(call.id)
        writer.fixedKey(#""call_id":"#)
        writer.string(call.callID)
        writer.fixedKey(#""agent_id":"#)
        writer.string(call.agentID)
        writer.fixedKey(#""organization_id":"#)
        writer.string(call.organizationID)
        writer.fixedKey(#""call_status":"#)
        writer.fixedString(wireName(call.status))
        writer.fixedKey(#""call_type":"#)
        writer.fixedString(call.type == .phoneCall ? #""PHONE_CALL""# : #""WEB_CALL""#)
        writer.fixedKey(#""direction":"#)
        writer.fixedString(call.direction == .inbound ? #""INBOUND""# : #""OUTBOUND""#)
        writer.fixedKey(#""from_number":"#)
        writer.string(call.fromNumber)
        writer.fixedKey(#""to_number":"#)
        writer.string(call.toNumber)
        writer.fixedKey(#""start_timestamp":"#)
        writer.integer(call.startTimestamp)
        writer.fixedKey(#""end_timestamp":"#)
        writer.integer(call.endTimestamp)
        writer.fixedKey(#""call_duration":"#)
        writer.integer(call.duration)
        if includeTranscript {
            writer.fixedKey(#""transcript":"#)
            writer.string(call.transcript)
        }
        if !call.metadata.isEmpty {
            writer.fixedKey(#""metadata":"#)
            writer.object { metadata in
                for entry in call.metadata.entries { metadata.member(entry.key, entry.value) }
            }
        }
        writer.endObject()
    }

    /// One call object as bytes.
    public static func bytes(_ call: Call, includeTranscript: Bool) -> [UInt8] {
        var writer = JSONWriter(capacity: 400 + (includeTranscript ? call.transcript.utf8.count : 0))
        write(call, includeTranscript: includeTranscript, into: &writer)
        return writer.bytes
    }

    /// The status's raw value as a compile-time string (a test checks they agree).
    private static func wireName(_ status: CallStatus) -> StaticString {
        switch status {
        case .scheduled: #""SCHEDULED""#
        case .registered: #""REGISTERED""#
        case .ongoing: #""ONGOING""#
        case .ended: #""ENDED""#
        case .error: #""ERROR""#
        }
    }
}
