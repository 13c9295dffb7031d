/// Answers list queries for one organization at a time; implementations differ in speed, never in results.
public protocol CallQueryEngine: Sendable {
    /// The page of `organizationID`'s calls that `query` selects, and how many calls match in all.
    func list(_ query: ListQuery, organizationID: String) -> CallPage
}

/// One page of a list result.
public struct CallPage: Sendable, Equatable {
    /// The calls at this page's positions, in order.
    public var calls: [Call]
    /// How many calls match the filters across all pages.
    public var totalCount: Int

    /// Creates a page.
    public init(calls: [Call], totalCount: Int) {
        self.calls = calls
        self.totalCount = totalCount
    }
}
