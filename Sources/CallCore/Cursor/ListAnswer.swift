/// A list answer as the route writes it: the page, and the cursor that continues right after it.
public struct ListAnswer: Sendable {
    /// The calls and counts.
    public let page: CallPage
    /// The cursor after the page's last call; nil when the page reaches the end.
    public let nextCursor: String?
    /// The `applied_filters` object, when a cursor's code needed it (so the answer does not make it again).
    public let appliedFilters: [UInt8]?
}

extension CallQueryEngine {
    /// Answers `query` for `organizationID`: its cursor, if it has one, opened with `signer` (400 naming `cursor`
    /// when this server did not issue it for this organization and query), the page, and the next cursor.
    public func answer(_ query: ListQuery, organizationID: String, signer: ListCursorSigner) throws(APIError) -> ListAnswer {
        // Made at most once, for the cursor opened, the one issued and the answer.
        var filters: [UInt8]?
        func appliedFilters() -> [UInt8] {
            let made = filters ?? query.filter.appliedFiltersJSON
            filters = made
            return made
        }
        var after: OrderKey?
        if let cursor = query.cursor {
            after = try signer.open(cursor, query: query, appliedFilters: appliedFilters(), organizationID: organizationID)
        }
        let page = list(query, after: after, organizationID: organizationID)
        var next: String?
        if page.firstPosition + page.count < page.totalCount, let last = page.lastCall {
            next = signer.token(
                after: OrderKey(last, field: query.sortBy, baseRow: page.lastBaseRow), query: query,
                appliedFilters: appliedFilters(), organizationID: organizationID)
        }
        return ListAnswer(page: page, nextCursor: next, appliedFilters: filters)
    }
}
