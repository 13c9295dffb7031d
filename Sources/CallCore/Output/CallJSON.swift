/// Writes a call as the API returns it: fields in API.md's order, nullable fields always present (as null),
/// `transcript` only when asked for, `metadata` only when the call has some.
///
/// A page writes this for every call, so the whole object goes through one `JSONByteSink`: names,
/// punctuation and enumeration values are constants copied as they are, and only the call's own
/// strings are escaped.
public enum CallJSON {
    /// Writes one call object.
    public static func write(_ call: Call, includeTranscript: Bool, into writer: inout JSONWriter) {
        writer.rawValue(estimatedBytes: estimate(call, includeTranscript: includeTranscript)) { out in
            out.raw(#"{"id":"#)
            out.string(call.id)
            out.raw(#","call_id":"#)
            out.string(call.callID)
            out.raw(#","agent_id":"#)
            out.string(call.agentID)
            out.raw(#","organization_id":"#)
            out.string(call.organizationID)
            out.raw(#","call_status":"#)
            out.raw(wireName(call.status))
            out.raw(#","call_type":"#)
            out.raw(call.type == .phoneCall ? #""PHONE_CALL""# : #""WEB_CALL""#)
            out.raw(#","direction":"#)
            out.raw(call.direction == .inbound ? #""INBOUND""# : #""OUTBOUND""#)
            out.raw(#","from_number":"#)
            out.string(call.fromNumber)
            out.raw(#","to_number":"#)
            out.string(call.toNumber)
            out.raw(#","start_timestamp":"#)
            out.integer(call.startTimestamp)
            out.raw(#","end_timestamp":"#)
            out.integer(call.endTimestamp)
            out.raw(#","call_duration":"#)
            out.integer(call.duration)
            if includeTranscript {
                out.raw(#","transcript":"#)
                out.string(call.transcript)
            }
            if !call.metadata.isEmpty {
                out.raw(#","metadata":{"#)
                for (index, entry) in call.metadata.entries.enumerated() {
                    if index > 0 { out.raw(",") }
                    out.string(entry.key)
                    out.raw(":")
                    out.string(entry.value)
                }
                out.raw("}")
            }
            out.raw("}")
        }
    }

    /// One call object as bytes.
    public static func bytes(_ call: Call, includeTranscript: Bool) -> [UInt8] {
        var writer = JSONWriter(capacity: 400 + (includeTranscript ? call.transcript.utf8.count : 0))
        write(call, includeTranscript: includeTranscript, into: &writer)
        return writer.bytes
    }

    /// Room for the worst case (every string byte escaped to six), so the sink never has to rerun.
    private static func estimate(_ call: Call, includeTranscript: Bool) -> Int {
        var strings = call.id.utf8.count + call.callID.utf8.count + call.agentID.utf8.count
            + call.organizationID.utf8.count + (call.fromNumber?.utf8.count ?? 0) + (call.toNumber?.utf8.count ?? 0)
        if includeTranscript { strings += call.transcript.utf8.count }
        for entry in call.metadata.entries { strings += entry.key.utf8.count + entry.value.utf8.count + 8 }
        return 400 + 6 * strings
    }

    /// The status's raw value, encoded, as a compile-time string (a test checks they agree).
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
