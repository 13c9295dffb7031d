/// Issues and checks list cursors with one server's secret: a token carries a SipHash-2-4-128 tag over its
/// position, the organization and the query's normalized order and filters, so only this server (its data
/// directory) can make one, and it continues only the list it came from.
public struct ListCursorSigner: Sendable {
    private let key: SipHash128.Key

    /// Bytes of secret a data directory holds.
    public static let secretLength = 32

    /// A signer keyed by `secret`.
    public init(secret: [UInt8]) {
        // A key of its own, derived from the directory's secret, so no other token the secret vouches for can
        // pass for a cursor.
        key = SipHash128.Key(HMACSHA256.code(Array("list cursor".utf8), key: secret))
    }

    /// The cursor that continues `query` for `organizationID` after `key`.
    public func token(after key: OrderKey, query: ListQuery, organizationID: String) -> String? {
        guard let payload = ListCursor.payload(of: key) else { return nil }
        return Base64URL.encode(payload + code(payload, query: query, organizationID: organizationID))
    }

    /// The position `cursor` names, once its code proves this server issued it for this organization, sort and filters.
    public func open(_ cursor: ListCursor, query: ListQuery, organizationID: String) throws(APIError) -> OrderKey {
        guard constantTimeEquals(code(cursor.payload, query: query, organizationID: organizationID), cursor.code) else {
            throw ListCursorSigner.invalid
        }
        return cursor.key
    }

    /// The answer to a cursor that is not ours, or not for this query.
    public static let invalid = APIError.invalidRequest(
        "cursor is not a cursor of this list: send next_cursor from an earlier answer unchanged, with the same sort_by, sort_order and filter_criteria.")

    private func code(_ payload: [UInt8], query: ListQuery, organizationID: String) -> [UInt8] {
        var hasher = SipHash128(key: key)
        // Each part with its length first, so no two different lists can spell the same message.
        func append<Part: Collection<UInt8>>(_ part: Part) {
            hasher.appendBigEndian(UInt32(truncatingIfNeeded: part.count))
            hasher.append(part)
        }
        append(organizationID.utf8)
        append(query.sortBy.rawValue.utf8)
        append(query.sortOrder.rawValue.utf8)
        append(query.filter.appliedFiltersJSON)
        append(payload)
        return hasher.finalize()
    }
}
