/// Issues and opens `since` tokens with one data directory's secret.
public struct ChangesTokenSigner: Sendable {
    private let key: SipHash128.Key

    private static let version: UInt8 = 1
    private static let tagLength = 16
    private static let tokenBytes = 1 + 8 + 8 + 8 + tagLength

    /// A signer keyed by `secret` (the data directory's `CURSOR_SECRET`), with a key of its own derived from it.
    public init(secret: [UInt8]) {
        key = SipHash128.Key(derivedFrom: secret, label: "changes since token")
    }

    /// The text of `token` for `organizationID`.
    public func text(of token: ChangesToken, organizationID: String) -> String {
        var bytes = Self.body(token)
        bytes += tag(bytes, organizationID: organizationID)
        return Base64URL.encode(bytes)
    }

    /// The position `text` names, when this directory issued it for `organizationID`; nil otherwise.
    public func open(_ text: String, organizationID: String) -> ChangesToken? {
        guard text.utf8.count <= 64, let bytes = Base64URL.decode(text), bytes.count == Self.tokenBytes,
            bytes[0] == Self.version
        else { return nil }
        let body = Array(bytes[..<(Self.tokenBytes - Self.tagLength)])
        guard constantTimeEquals(tag(body, organizationID: organizationID), Array(bytes[body.count...])) else { return nil }
        var reader = ByteReader(Array(body.dropFirst()))
        guard let epoch = reader.integer(UInt64.self), let sequence = reader.integer(UInt64.self),
            let baseline = reader.integer(UInt64.self)
        else { return nil }
        return ChangesToken(epoch: epoch, sequence: sequence, baseline: baseline)
    }

    private static func body(_ token: ChangesToken) -> [UInt8] {
        var bytes: [UInt8] = [version]
        bytes.appendBigEndian(token.epoch)
        bytes.appendBigEndian(token.sequence)
        bytes.appendBigEndian(token.baseline)
        return bytes
    }

    private func tag(_ body: [UInt8], organizationID: String) -> [UInt8] {
        var hasher = SipHash128(key: key)
        hasher.appendPart(organizationID.utf8)
        hasher.append(body)
        return hasher.finalize()
    }
}
