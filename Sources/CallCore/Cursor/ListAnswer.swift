/// A list answer as the route writes it: the page, and the cursor that continues right after it.
public struct ListAnswer: Sendable {
    /// The calls and counts.
    public let page: CallPage
    /// The cursor after the page's last call; nil when the page reaches the end.
    public let nextCursor: String?
}

extension CallQueryEngine {
    /// Answers `query` for `organizationID`: its cursor, if it has one, opened with `signer` (400 naming `cursor`
    /// when this server did not issue it for this organization and query), the page, and the next cursor.
    public func answer(_ query: ListQuery, organizationID: String, signer: ListCursorSigner) throws(APIError) -> ListAnswer {
        var after: OrderKey?
        if let cursor = query.cursor { after = try signer.open(cursor, query: query, organizationID: organizationID) }
        let page = list(query, after: after, organizationID: organizationID)
        var next: String?
        if page.firstPosition + page.count < page.totalCount, let last = page.lastCall {
            next = signer.token(
                after: OrderKey(last, field: query.sortBy, baseRow: page.lastBaseRow), query: query, organizationID: organizationID)
        }
        return ListAnswer(page: page, nextCursor: next)
    }
}
