/// Why a byte sequence is not one strict RFC 8259 JSON text, and where (byte offset from the start of the input).
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure, so tests and logs can tell failures apart without parsing messages.
    public enum Reason: Sendable, Equatable {
        /// No value at all (zero bytes or only whitespace).
        case emptyInput
        /// The input starts with a UTF-8 byte order mark, which RFC 8259 §8.1 forbids senders to add.
        case byteOrderMark
        /// The input ended inside a value.
        case unexpectedEnd
        /// A byte that cannot start or continue the value here.
        case unexpectedByte(UInt8)
        /// A string contains bytes that are not well-formed UTF-8 (RFC 3629).
        case invalidUTF8
        /// A string contains an unescaped control character (below U+0020).
        case controlCharacterInString(UInt8)
        /// A backslash followed by something other than `"\/bfnrtu`.
        case invalidEscape
        /// A `\u` escape without four hex digits.
        case invalidUnicodeEscape
        /// A `\u` escape of a surrogate that is not part of a high/low pair.
        case loneSurrogate
        /// A malformed number (leading zero, missing digits, lone minus).
        case invalidNumber
        /// An object names the same key twice; the associated value is the key's path from the top
        /// (`filter_criteria.agent_id`, `calls[2].id`), so the message names the field as API.md asks.
        case duplicateKey(String)
        /// Arrays and objects nested deeper than the limit.
        case tooDeep(limit: Int)
        /// Something other than whitespace follows the value.
        case trailingData
    }

    /// The kind of failure.
    public let reason: Reason
    /// Byte offset from the start of the input where the failure was detected.
    public let offset: Int

    /// Creates an error.
    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// The same error seen from the enclosing container: a duplicate key's path gains the member
    /// name or array index (`[3]`) it sits under; other errors are unchanged.
    func nested(under component: String) -> JSONParseError {
        guard case .duplicateKey(let path) = reason else { return self }
        let joined = path.hasPrefix("[") ? component + path : component + "." + path
        return JSONParseError(.duplicateKey(joined), at: offset)
    }

    /// A sentence for a person, ending with the byte offset.
    public var message: String {
        "\(reasonText) at byte \(offset)"
    }

    /// Same as `message`.
    public var description: String { message }

    private var reasonText: String {
        switch reason {
        case .emptyInput: return "no JSON value"
        case .byteOrderMark: return "byte order mark is not allowed"
        case .unexpectedEnd: return "unexpected end of input"
        case .unexpectedByte(let byte):
            if byte >= 0x21, byte < 0x7F {
                return "unexpected character '\(Character(Unicode.Scalar(byte)))'"
            }
            return "unexpected byte 0x\(String(byte, radix: 16, uppercase: true))"
        case .invalidUTF8: return "invalid UTF-8 in string"
        case .controlCharacterInString(let byte):
            return "unescaped control character 0x\(String(byte, radix: 16, uppercase: true)) in string"
        case .invalidEscape: return "invalid escape sequence in string"
        case .invalidUnicodeEscape: return "invalid \\u escape in string"
        case .loneSurrogate: return "unpaired surrogate in \\u escape"
        case .invalidNumber: return "malformed number"
        case .duplicateKey(let key): return "duplicate key \"\(JSONParseError.abbreviated(key))\""
        case .tooDeep(let limit): return "nesting deeper than \(limit) levels"
        case .trailingData: return "unexpected data after the JSON value"
        }
    }

    /// Keeps messages short when a client sends a huge key.
    private static func abbreviated(_ key: String) -> String {
        key.abbreviatedForMessage
    }
}
