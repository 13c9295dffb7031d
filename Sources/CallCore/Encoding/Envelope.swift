/// The one JSON envelope of every `/api` response: `{"message", "status", "error", "data"}` in that order.
public enum Envelope {
    /// A success envelope: `error` is null and `data` is whatever `data` writes (exactly one JSON value).
    /// `capacity` is the expected size, so a large body is not copied as it grows.
    public static func success(message: String, capacity: Int = 512, data: (inout JSONWriter) -> Void) -> [UInt8] {
        var writer = JSONWriter(capacity: capacity)
        let length = message.utf8.count
        writer.fragment(estimatedBytes: 64 + length + length / 8, worstCaseBytes: 64 + 6 * length, startsValue: true, endsWithKey: true) { out in
            out.raw(#"{"message":"#)
            out.string(message)
            out.raw(#","status":"success","error":null,"data":"#)
        }
        data(&writer)
        writer.endObject()
        return writer.bytes
    }

    /// An error envelope: `status` "error", `error` the machine code, `data` null.
    public static func error(_ error: APIError) -> [UInt8] {
        var writer = JSONWriter(capacity: 128 + error.message.utf8.count)
        writer.object { envelope in
            envelope.member("message", error.message)
            envelope.member("status", "error")
            envelope.member("error", error.code)
            envelope.nullMember("data")
        }
        return writer.bytes
    }
}
