/// The value rules of API.md's call record table, shared by every write path and by path-parameter checks.
public enum CallRecordRules {
    /// Largest accepted timestamp: 9999-12-31T23:59:59.999Z in milliseconds.
    public static let maxTimestamp: Int64 = 253_402_300_799_999
    /// `call_id` and `agent_id` length limit, in characters.
    public static let maxIDLength = 128
    /// Transcript limit in UTF-8 bytes (256 KiB).
    public static let maxTranscriptBytes = 256 * 1024
    /// Most metadata entries a call may have.
    public static let maxMetadataKeys = 50
    /// Longest metadata key, in characters.
    public static let maxMetadataKeyLength = 64
    /// Longest metadata value, in characters.
    public static let maxMetadataValueLength = 1024
    /// The path segments of the import and changes routes, which therefore can never be a `call_id`.
    public static let reservedCallIDs = ["import", "changes"]

    /// Whether `text` is 1–128 characters of `[A-Za-z0-9._:-]` (the reserved words are checked separately).
    public static func isValidCallID(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { utf8 in
            guard !utf8.isEmpty, utf8.count <= maxIDLength else { return false }
            return utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"),
                    UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "-"):
                    return true
                default:
                    return false
                }
            }
        }
    }

    /// Why `text` cannot be a `call_id`, or nil when it can; the message names `call_id`.
    public static func callIDProblem(_ text: String, field: String = "call_id") -> String? {
        if !isValidCallID(text) {
            return "\(field) must be 1–128 characters of A–Z, a–z, 0–9, '.', '_', ':' or '-'"
        }
        if reservedCallIDs.contains(text) {
            return "\(field) must not be \"\(text)\": that name is reserved for the \(text) route"
        }
        return nil
    }

    /// Whether `text` has 1–128 characters (Unicode scalars).
    public static func isValidAgentID(_ text: String) -> Bool {
        hasLength(text, in: 1...maxIDLength)
    }

    /// Whether `text` is E.164 as API.md states it: `+` then 7–15 ASCII digits.
    public static func isValidPhoneNumber(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count >= 8, bytes.count <= 16, bytes[0] == UInt8(ascii: "+") else { return false }
            return bytes.dropFirst().allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        }
    }

    /// Whether `value` is a timestamp the API accepts (0 through the end of year 9999, in ms).
    public static func isValidTimestamp(_ value: Int64) -> Bool {
        value >= 0 && value <= maxTimestamp
    }

    /// Whether `text` is a lower-case UUID: 8-4-4-4-12 lower-case hex digits.
    public static func isLowercaseUUID(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count == 36 else { return false }
            for position in 0..<36 {
                let byte = bytes[position]
                switch position {
                case 8, 13, 18, 23:
                    guard byte == UInt8(ascii: "-") else { return false }
                default:
                    guard (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                        || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
                    else { return false }
                }
            }
            return true
        }
    }

    /// Whether the character count (Unicode scalars) of `text` lies in `range`, counting only when the byte count
    /// cannot decide it (a scalar is one to four UTF-8 bytes, and a non-empty string has at least one).
    static func hasLength(_ text: String, in range: ClosedRange<Int>) -> Bool {
        let bytes = text.utf8.count
        if bytes < range.lowerBound { return false }
        if bytes <= range.upperBound, range.lowerBound <= 1 { return true }
        var text = text
        return text.withUTF8 { utf8 in
            var scalars = 0
            // Every byte except a continuation byte (10xxxxxx) starts a scalar.
            for byte in utf8 where byte & 0xC0 != 0x80 {
                scalars += 1
                if scalars > range.upperBound { return false }
            }
            return scalars >= range.lowerBound
        }
    }
}
