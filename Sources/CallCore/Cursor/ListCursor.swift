/// A `cursor` as a request carries it: the position it names and the code that vouches for it, parsed but not yet
/// checked (that needs the server's secret, the organization and the query: `ListCursorSigner.open`).
///
/// The token is base64url of `version, value kind, value, id length, id, base row + 1 (0: none), tag` (integers
/// big-endian, the row 4 bytes; the tag a SipHash-2-4-128 of 16 bytes). Every byte comes from a client, so parsing only ever gives up, never traps.
public struct ListCursor: Sendable, Equatable {
    /// The position the token names (trusted only once its code is checked).
    let key: OrderKey
    /// The bytes the code covers (with the organization and the query).
    let payload: [UInt8]
    /// The tag the token carries.
    let code: [UInt8]

    /// The token format this build writes and reads.
    static let version: UInt8 = 2
    /// Longest token accepted (characters): a call_id of 128 characters and an id make one of about 300 characters.
    public static let maxTokenLength = 1024
    static let codeLength = 16

    private enum Kind: UInt8 {
        case absent = 0, integer = 1, text = 2
    }

    /// Parses a token; nil when it is not one this format can spell.
    public init?(token: String) {
        guard token.utf8.count <= Self.maxTokenLength, let bytes = Base64URL.decode(token),
            bytes.count > Self.codeLength
        else { return nil }
        let payload = Array(bytes[..<(bytes.count - Self.codeLength)])
        var reader = ByteReader(payload)
        guard reader.byte() == Self.version, let kindByte = reader.byte(), let kind = Kind(rawValue: kindByte) else { return nil }
        let value: SortValue
        switch kind {
        case .absent:
            value = .absent
        case .integer:
            guard let bits = reader.integer(UInt64.self) else { return nil }
            value = .integer(Int64(bitPattern: bits))
        case .text:
            guard let length = reader.integer(UInt16.self), let text = reader.string(Int(length)) else { return nil }
            value = .text(text)
        }
        guard let idLength = reader.byte(), let id = reader.string(Int(idLength)), let row = reader.integer(UInt32.self), reader.isAtEnd
        else { return nil }
        key = OrderKey(value: value, id: id, baseRow: row == 0 ? nil : Int(row - 1))
        self.payload = payload
        code = Array(bytes[(bytes.count - Self.codeLength)...])
    }

    /// The payload naming `key`, or nil when a part is too long for the format (no call has such values).
    static func payload(of key: OrderKey) -> [UInt8]? {
        // One buffer of the right size: a list answer makes one on every request.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16 + key.id.utf8.count + (key.value.text?.utf8.count ?? 8))
        bytes.append(version)
        switch key.value {
        case .absent:
            bytes.append(Kind.absent.rawValue)
        case .integer(let value):
            bytes.append(Kind.integer.rawValue)
            bytes.appendBigEndian(UInt64(bitPattern: value))
        case .text(let text):
            let length = text.utf8.count
            guard length <= Int(UInt16.max) else { return nil }
            bytes.append(Kind.text.rawValue)
            bytes.appendBigEndian(UInt16(truncatingIfNeeded: length))
            bytes.append(contentsOf: text.utf8)
        }
        let idLength = key.id.utf8.count
        guard idLength <= Int(UInt8.max) else { return nil }
        bytes.append(UInt8(truncatingIfNeeded: idLength))
        bytes.append(contentsOf: key.id.utf8)
        // A row past what 4 bytes hold is simply not hinted.
        bytes.appendBigEndian(key.baseRow.flatMap { UInt32(exactly: $0 + 1) } ?? 0)
        return bytes
    }
}
