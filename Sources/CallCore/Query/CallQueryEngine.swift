/// Answers list queries for one organization at a time; implementations differ in speed, never in results.
public protocol CallQueryEngine: Sendable {
    /// The page of `organizationID`'s calls that `query` selects, and how many calls match in all: the calls at
    /// its page's positions, or with `after`, the first `limit` calls that come after that position in its order.
    func list(_ query: ListQuery, after: OrderKey?, organizationID: String) -> CallPage
}

extension CallQueryEngine {
    /// The page of `organizationID`'s calls at `query`'s page, and how many calls match in all.
    public func list(_ query: ListQuery, organizationID: String) -> CallPage {
        list(query, after: nil, organizationID: organizationID)
    }
}
