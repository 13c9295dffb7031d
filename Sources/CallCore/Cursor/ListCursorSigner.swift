/// Issues and checks list cursors with one server's secret: a token is HMAC-SHA256 over its position, the
/// organization and the query's normalized order and filters, so only this server (its data directory) can
/// make one, and it continues only the list it came from.
public struct ListCursorSigner: Sendable {
    private let key: HMACSHA256.Key

    /// Bytes of secret a data directory holds.
    public static let secretLength = 32

    /// A signer keyed by `secret`.
    public init(secret: [UInt8]) {
        key = HMACSHA256.Key(secret)
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
        let filters = query.filter.appliedFiltersJSON
        var message: [UInt8] = []
        message.reserveCapacity(64 + organizationID.utf8.count + filters.count + payload.count)
        // Each part with its length first, so no two different lists can spell the same message. No label in front:
        // the key signs nothing but cursors, and without one a usual message fits two blocks of SHA-256, not three.
        func append<Part: Collection<UInt8>>(_ part: Part) {
            let count = UInt32(truncatingIfNeeded: part.count)
            message.append(UInt8(truncatingIfNeeded: count >> 24))
            message.append(UInt8(truncatingIfNeeded: count >> 16))
            message.append(UInt8(truncatingIfNeeded: count >> 8))
            message.append(UInt8(truncatingIfNeeded: count))
            message += part
        }
        append(organizationID.utf8)
        append(query.sortBy.rawValue.utf8)
        append(query.sortOrder.rawValue.utf8)
        append(filters)
        append(payload)
        return key.code(message)
    }
}
