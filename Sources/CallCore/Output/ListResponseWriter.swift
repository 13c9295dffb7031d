/// Writes the response of `POST /api/calls`.
public enum ListResponseWriter {
    /// The success message of the list route.
    public static let message = "Calls retrieved successfully"

    /// The full success envelope with API.md's `data` object.
    public static func envelope(
        query: ListQuery, organizationID: String, page: CallPage, nextCursor: String? = nil, appliedFilters: [UInt8]? = nil
    ) -> [UInt8] {
        Envelope.success(message: message) { writer in
            writeData(
                query: query, organizationID: organizationID, page: page, nextCursor: nextCursor, appliedFilters: appliedFilters,
                into: &writer)
        }
    }

    /// The full success envelope of `answer`.
    public static func envelope(query: ListQuery, organizationID: String, answer: ListAnswer) -> [UInt8] {
        envelope(
            query: query, organizationID: organizationID, page: answer.page, nextCursor: answer.nextCursor,
            appliedFilters: answer.appliedFilters)
    }

    /// Writes just the `data` object (the MCP `list_calls` tool returns the same object): its names and
    /// punctuation are constants, written with the values between them in a few passes through one sink.
    /// `appliedFilters` is the `applied_filters` object when already made (a cursor's code covers it).
    public static func writeData(
        query: ListQuery, organizationID: String, page: CallPage, nextCursor: String? = nil, appliedFilters: [UInt8]? = nil,
        into writer: inout JSONWriter
    ) {
        let pagination = query.cursor == nil
            ? Pagination(page: query.page, limit: query.limit, totalCount: page.totalCount)
            : Pagination(continuing: page, limit: query.limit, hasNextCursor: nextCursor != nil)
        writer.fragment(startsValue: true, endsWithKey: true) { out in
            out.raw(#"{"organization_id":"#)
            out.string(organizationID)
            out.raw(#","calls":"#)
        }
        CallJSON.write(page, includeTranscript: query.includeTranscript, into: &writer)
        writer.fragment(startsValue: false, endsWithKey: true) { out in
            out.member(#","pagination":{"page":"#, pagination.page)
            out.member(#","limit":"#, Int64(query.limit))
            out.member(#","total_count":"#, Int64(page.totalCount))
            out.member(#","total_pages":"#, pagination.totalPages)
            out.raw(#","has_next_page":"#, pagination.hasNextPage ? "true" : "false")
            out.raw(#","has_previous_page":"#, pagination.hasPreviousPage ? "true" : "false")
            out.raw(#","next_cursor":"#)
            if let nextCursor { out.string(nextCursor) } else { out.raw("null") }
            out.member(#"},"returned_count":"#, Int64(page.count))
            out.raw(#","sort_order":"#)
            out.string(query.sortOrder.rawValue)
            out.raw(#","sort_by":"#)
            out.string(query.sortBy.rawValue)
            out.raw(#","applied_filters":"#)
        }
        if let appliedFilters { writer.rawValue(appliedFilters) } else { query.filter.writeApplied(into: &writer) }
        writer.endObject()
    }
}

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
