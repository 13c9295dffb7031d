/// The one JSON envelope of every `/api` response: `{"message", "status", "error", "data"}` in that order.
public enum Envelope {
    /// A success envelope: `error` is null and `data` is whatever `data` writes (exactly one JSON value).
    /// `likelyDataBytes` is what the bulk of `data` (a page of calls) likely takes, so it is written into one
    /// buffer rather than copied as it grows.
    public static func success(message: String, likelyDataBytes: Int = 0, data: (inout JSONWriter) -> Void) -> [UInt8] {
        var writer = JSONWriter(capacity: ownBytes + likelyDataBytes)
        writer.fragment(startsValue: true, endsWithKey: true) { out in
            out.raw(#"{"message":"#)
            out.string(message)
            out.raw(#","status":"success","error":null,"data":"#)
        }
        data(&writer)
        writer.endObject()
        return writer.bytes
    }

    /// Room for the envelope's own members and what surrounds the bulk of the data: pagination, filters, a cursor.
    private static let ownBytes = 1_024

    /// An error envelope: `status` "error", `error` the machine code, `data` null.
    public static func error(_ error: APIError) -> [UInt8] {
        var writer = JSONWriter()
        writer.object { envelope in
            envelope.member("message", error.message)
            envelope.member("status", "error")
            envelope.member("error", error.code)
            envelope.nullMember("data")
        }
        return writer.bytes
    }
}
