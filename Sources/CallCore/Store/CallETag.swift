/// Entity tags of calls: a digest of the stored representation, so equal content has equal tags
/// and any change (including the transcript) changes it.
public enum CallETag {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// The tag of `call`.
    public static func of(_ call: Call) -> String {
        of(json: CallJSON.bytes(call, includeTranscript: true)[...])
    }

    /// The tag of a call from its JSON (as `CallJSON` writes it, with transcript).
    public static func of(json: ArraySlice<UInt8>) -> String {
        let digest = SHA256.hash(json)
        var text: [UInt8] = [UInt8(ascii: "\"")]
        for byte in digest.prefix(10) {
            text.append(Self.hexDigits[Int(byte >> 4)])
            text.append(Self.hexDigits[Int(byte & 15)])
        }
        text.append(UInt8(ascii: "\""))
        return String(decoding: text, as: UTF8.self)
    }

    /// RFC 9110 §13.1.1: `*` matches any current representation; otherwise a strong comparison with
    /// one of the listed tags (weak tags never match).
    public static func ifMatchHolds(_ header: [String], current: Call?) -> Bool {
        guard !header.isEmpty else { return true }
        guard let current else { return false }
        let tag = of(current)
        for value in header {
            for candidate in value.split(separator: ",") {
                let trimmed = candidate.trimmingSpaces()
                if trimmed == "*" || trimmed == tag { return true }
            }
        }
        return false
    }

    /// 412: `If-Match` names no tag of the call as it is now.
    public static let preconditionFailed = APIError(
        status: 412, code: "precondition_failed",
        message: "If-Match does not match the call's current ETag; fetch it again and retry.")
}
