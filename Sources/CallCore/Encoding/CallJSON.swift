/// Writes a call as the API returns it: fields in API.md's order, nullable fields always present (as null),
/// `transcript` only when asked for, `metadata` only when the call has some.
///
/// A page writes this for every call, so the whole object goes through one `JSONByteSink`: names,
/// punctuation and enumeration values are constants copied as they are, and only the call's own
/// strings are escaped.
public enum CallJSON {
    /// Writes one call object.
    public static func write(_ call: Call, includeTranscript: Bool, into writer: inout JSONWriter) {
        writer.reserve(likelyBytes(call, includeTranscript: includeTranscript))
        writer.rawValue { out in
            encode(call.box, includeTranscript: includeTranscript, into: &out)
        }
    }

    /// Writes an array of call objects in one pass through one sink.
    public static func write(_ calls: [Call], includeTranscript: Bool, into writer: inout JSONWriter) {
        write(CallPage(calls: calls, totalCount: calls.count), includeTranscript: includeTranscript, into: &writer)
    }

    /// Writes a page's calls as an array in one pass through one sink.
    static func write(_ page: CallPage, includeTranscript: Bool, into writer: inout JSONWriter) {
        // The records are read in place, without retaining them: the page keeps every one alive.
        writer.reserve(likelyBytes(page, includeTranscript: includeTranscript))
        page.withRecords { records in
            writer.rawValue { out in
                out.raw("[")
                for (index, record) in records.enumerated() {
                    if index > 0 { out.raw(",") }
                    Call.withBox(at: record) { encode($0, includeTranscript: includeTranscript, into: &out) }
                }
                out.raw("]")
            }
        }
    }

    /// Room for a call without its transcript, enough for ids, numbers and a little metadata.
    static let likelyCallBytes = 640

    /// The room a page of calls likely takes: without transcripts a fixed amount per call, so the estimate needs no
    /// pass over the calls (a page that outgrows it, with long metadata, is written again once the sink has
    /// counted its size); with them, each transcript and an eighth more for escapes.
    public static func likelyBytes(_ page: CallPage, includeTranscript: Bool) -> Int {
        let transcripts = includeTranscript ? page.withRecords { $0.reduce(0) { $0 + $1.pointee.transcript.utf8.count } } : 0
        return likelyBytes(count: page.count, transcriptBytes: transcripts)
    }

    /// The room `count` calls likely take, with `transcriptBytes` of transcripts among them.
    private static func likelyBytes(count: Int, transcriptBytes: Int) -> Int {
        2 + count * (likelyCallBytes + 1) + transcriptBytes * 9 / 8
    }

    /// The object of one call, written into `out`.
    private static func encode(_ box: CallBox, includeTranscript: Bool, into out: inout JSONByteSink) {
        out.member(#"{"id":"#, box.fields.id)
        out.member(#","call_id":"#, box.fields.callID)
        out.member(#","agent_id":"#, box.fields.agentID)
        out.member(#","organization_id":"#, box.fields.organizationID)
        out.raw(#","call_status":"#, wireName(box.fields.status))
        out.raw(#","call_type":"#, box.fields.type == .phoneCall ? #""PHONE_CALL""# : #""WEB_CALL""#)
        out.raw(#","direction":"#, box.fields.direction == .inbound ? #""INBOUND""# : #""OUTBOUND""#)
        out.member(#","from_number":"#, box.fields.fromNumber)
        out.member(#","to_number":"#, box.fields.toNumber)
        out.member(#","start_timestamp":"#, box.fields.startTimestamp)
        out.member(#","end_timestamp":"#, box.fields.endTimestamp)
        out.member(#","call_duration":"#, box.fields.duration)
        out.member(#","updated_timestamp":"#, box.fields.updatedTimestamp)
        if includeTranscript {
            out.member(#","transcript":"#, box.fields.transcript)
        }
        if !box.fields.metadata.isEmpty {
            out.raw(#","metadata":{"#)
            for (index, entry) in box.fields.metadata.entries.enumerated() {
                if index > 0 { out.raw(",") }
                out.string(entry.key)
                out.raw(":")
                out.string(entry.value)
            }
            out.raw("}")
        }
        out.raw("}")
    }

    /// The room calls written one by one likely take (a changes page): as a page's, with their transcripts counted.
    public static func likelyBytes(_ calls: some Collection<Call>, includeTranscript: Bool) -> Int {
        likelyBytes(count: calls.count, transcriptBytes: includeTranscript ? calls.reduce(0) { $0 + $1.transcript.utf8.count } : 0)
    }

    /// One call object as bytes.
    public static func bytes(_ call: Call, includeTranscript: Bool) -> [UInt8] {
        // One buffer of the call's likely size (a write encodes each call it stores this way).
        var writer = JSONWriter(capacity: likelyBytes(call, includeTranscript: includeTranscript))
        write(call, includeTranscript: includeTranscript, into: &writer)
        return writer.bytes
    }

    /// The room one call likely takes: names, punctuation, numbers and the strings as they are, with an eighth
    /// more for escapes.
    static func likelyBytes(_ call: borrowing Call, includeTranscript: Bool) -> Int {
        var strings = call.id.utf8.count + call.callID.utf8.count + call.agentID.utf8.count
            + call.organizationID.utf8.count + (call.fromNumber?.utf8.count ?? 0) + (call.toNumber?.utf8.count ?? 0)
        if includeTranscript { strings += call.transcript.utf8.count }
        for entry in call.metadata.entries { strings += entry.key.utf8.count + entry.value.utf8.count + 8 }
        return 400 + strings + strings / 8
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
