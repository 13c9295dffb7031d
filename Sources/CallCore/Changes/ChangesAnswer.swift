/// A changes answer as the route writes it: the page and the token that continues after it.
public struct ChangesAnswer: Sendable {
    /// The changes.
    public let page: ChangesPage
    /// `next_since`.
    public let nextSince: String
}

extension ChangeLog {
    /// Answers `request` for `organizationID` from this log: its `since` opened
    /// with `signer` (400 naming `since` when this directory did not issue it for this organization, 410 when the
    /// history it saw is gone), the page, and the next token.
    public func answer(
        _ request: ChangesRequest, organizationID: String, signer: ChangesTokenSigner
    ) throws(APIError) -> ChangesAnswer {
        var after: UInt64 = 0
        var baseline: UInt64?
        if let since = request.since {
            guard let token = signer.open(since, organizationID: organizationID) else { throw ChangesRequest.foreignSince }
            guard continues(token, organizationID: organizationID) else { throw ChangesRequest.expiredSince }
            after = token.sequence
            baseline = token.baseline
        }
        let page = page(organizationID: organizationID, after: after, limit: request.limit)
        let nextToken = token(after: page.nextSequence, baseline: baseline, organizationID: organizationID)
        let next = signer.text(of: nextToken, organizationID: organizationID)
        return ChangesAnswer(page: page, nextSince: next)
    }
}
