/// The page arithmetic of API.md, safe for any page number up to `Int64.max`.
public struct Pagination: Sendable, Equatable {
    /// The page reported.
    public let page: Int64
    /// `ceil(total_count / limit)`; 0 when nothing matches.
    public let totalPages: Int64
    /// `page + 1 < total_pages`, computed without overflowing at `Int64.max`.
    public let hasNextPage: Bool
    /// `page > 0`.
    public let hasPreviousPage: Bool

    /// Computes the figures for `page` of `totalCount` calls in pages of `limit` (a limit below 1 counts as 1).
    public init(page: Int64, limit: Int, totalCount: Int) {
        let size = Int64(max(limit, 1))
        let total = Int64(max(totalCount, 0))
        // total / size rounded up, without the `total + size - 1` that could overflow.
        totalPages = total / size + (total % size == 0 ? 0 : 1)
        self.page = page
        // page + 1 < totalPages ⇔ page < totalPages - 1, and totalPages - 1 cannot overflow.
        hasNextPage = totalPages > 0 && page < totalPages - 1
        hasPreviousPage = page > 0
    }

    /// The figures of a page reached by cursor (API.md): the page its first call lies on now (`total_pages` when
    /// it is empty), whether any match precedes it, and a next page exactly when there is a next cursor.
    public init(continuing slice: CallPage, limit: Int, hasNextCursor: Bool) {
        let size = max(limit, 1)
        let numbered = Pagination(page: 0, limit: size, totalCount: slice.totalCount)
        totalPages = numbered.totalPages
        page = slice.count == 0 ? numbered.totalPages : Int64(slice.firstPosition / size)
        hasNextPage = hasNextCursor
        hasPreviousPage = slice.firstPosition > 0
    }
}
