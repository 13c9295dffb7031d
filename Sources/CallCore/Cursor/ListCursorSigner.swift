/// Issues and checks list cursors with one server's secret: a token carries a SipHash-2-4-128 tag over its
/// position, the organization and the query's normalized order and filters, so only this server (its data
/// directory) can make one, and it continues only the list it came from.
public struct ListCursorSigner: Sendable {
    private let key: SipHash128.Key

    /// Bytes of secret a data directory holds.
    public static let secretLength = 32

    /// A signer keyed by `secret`.
    public init(secret: [UInt8]) {
        key = SipHash128.Key(derivedFrom: secret, label: "list cursor")
    }

    /// The cursor that continues `query` for `organizationID` after `key`; `appliedFilters` is the query's
    /// `applied_filters` object when already made.
    public func token(after key: OrderKey, query: ListQuery, appliedFilters: [UInt8]? = nil, organizationID: String) -> String? {
        guard let payload = ListCursor.payload(of: key) else { return nil }
        let filters = appliedFilters ?? query.filter.appliedFiltersJSON
        return Base64URL.encode(payload + code(payload, query: query, appliedFilters: filters, organizationID: organizationID))
    }

    /// The position `cursor` names, once its code proves this server issued it for this organization, sort and filters.
    public func open(
        _ cursor: ListCursor, query: ListQuery, appliedFilters: [UInt8]? = nil, organizationID: String
    ) throws(APIError) -> OrderKey {
        let filters = appliedFilters ?? query.filter.appliedFiltersJSON
        guard constantTimeEquals(code(cursor.payload, query: query, appliedFilters: filters, organizationID: organizationID), cursor.code)
        else { throw ListCursorSigner.invalid }
        return cursor.key
    }

    /// The answer to a cursor that is not ours, or not for this query.
    public static let invalid = APIError.invalidRequest(
        "cursor is not a cursor of this list: send next_cursor from an earlier answer unchanged, with the same sort_by, sort_order and filter_criteria.")

    private func code(_ payload: [UInt8], query: ListQuery, appliedFilters: [UInt8], organizationID: String) -> [UInt8] {
        var hasher = SipHash128(key: key)
        hasher.appendPart(organizationID.utf8)
        hasher.appendPart(query.sortBy.rawValue.utf8)
        hasher.appendPart(query.sortOrder.rawValue.utf8)
        hasher.appendPart(appliedFilters)
        hasher.appendPart(payload)
        return hasher.finalize()
    }
}
