/// Writes the response of `POST /api/calls`.
public enum ListResponseWriter {
    /// The success message of the list route.
    public static let message = "Calls retrieved successfully"

    /// The full success envelope with API.md's `data` object.
    public static func envelope(
        query: ListQuery, organizationID: String, page: CallPage, nextCursor: String? = nil, appliedFilters: [UInt8]? = nil
    ) -> [UInt8] {
        Envelope.success(message: message, likelyDataBytes: CallJSON.likelyBytes(page, includeTranscript: query.includeTranscript)) { writer in
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
