/// A validated `POST /api/calls` request: which page, in which order, of which calls.
public struct ListQuery: Sendable, Equatable {
    /// Default page size when `limit` is not given.
    public static let defaultLimit = 20
    /// Accepted page sizes.
    public static let limitRange: ClosedRange<Int64> = 1...100
    /// Most items a filter list may hold as sent, repeats included (API.md: it bounds the work of one request).
    public static let maxListItems = 1000

    /// Zero-based page number; any non-negative Int64 (a page past the end is empty).
    public var page: Int64
    /// Page size, 1–100.
    public var limit: Int
    /// The field to order by.
    public var sortBy: SortField
    /// The direction of the order.
    public var sortOrder: SortOrder
    /// Whether each call in the page carries its transcript.
    public var includeTranscript: Bool
    /// Which calls to list.
    public var filter: CallFilter
    /// Where the page starts instead of `page`: right after the position an earlier answer's `next_cursor` names
    /// (checked against the server's secret, the organization and this query before it is used).
    public var cursor: ListCursor?

    /// Creates a query; the defaults are API.md's.
    public init(
        page: Int64 = 0,
        limit: Int = ListQuery.defaultLimit,
        sortBy: SortField = .startTimestamp,
        sortOrder: SortOrder = .descending,
        includeTranscript: Bool = false,
        filter: CallFilter = CallFilter(),
        cursor: ListCursor? = nil
    ) {
        self.page = page
        self.limit = limit
        self.sortBy = sortBy
        self.sortOrder = sortOrder
        self.includeTranscript = includeTranscript
        self.filter = filter
        self.cursor = cursor
    }

    /// The first position of this page in the full order, or nil when it lies beyond any possible store (page × limit overflows).
    public var offset: Int? {
        guard let page = Int(exactly: page), page >= 0, limit > 0 else { return nil }
        let (start, overflow) = page.multipliedReportingOverflow(by: limit)
        return overflow ? nil : start
    }

    /// The positions this page covers within `count` matching calls (empty past the end; never traps).
    public func pageRange(in count: Int) -> Range<Int> {
        guard let start = offset, start < count else { return count..<count }
        // start < count, so the subtraction cannot underflow and the sum cannot exceed count.
        return start..<(start + min(limit, count - start))
    }
}
