/// The one JSON envelope of every `/api` response: `{"message", "status", "error", "data"}` in that order.
public enum Envelope {
    /// A success envelope: `error` is null and `data` is whatever `data` writes (exactly one JSON value).
    /// `capacity` is the expected size, so a large body is not copied as it grows.
    public static func success(message: String, capacity: Int = 512, data: (inout JSONWriter) -> Void) -> [UInt8] {
        var writer = JSONWriter(capacity: capacity)
        writer.object { envelope in
            envelope.member("message", message)
            envelope.member("status", "success")
            envelope.nullMember("error")
            envelope.key("data")
            data(&envelope)
        }
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
