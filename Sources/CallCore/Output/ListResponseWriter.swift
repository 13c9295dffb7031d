/// Writes the response of `POST /api/calls`.
public enum ListResponseWriter {
    /// The success message of the list route.
    public static let message = "Calls retrieved successfully"

    /// The full success envelope with API.md's `data` object.
    public static func envelope(query: ListQuery, organizationID: String, page: CallPage) -> [UInt8] {
        // About 400 bytes a call without its transcript, plus the envelope, pagination and filters.
        var expected = 1_024 + page.calls.count * 448
        if query.includeTranscript { expected += page.calls.reduce(0) { $0 + $1.transcript.utf8.count } }
        return Envelope.success(message: message, capacity: expected) { writer in
            writeData(query: query, organizationID: organizationID, page: page, into: &writer)
        }
    }

    /// Writes just the `data` object (the MCP `list_calls` tool returns the same object).
    public static func writeData(query: ListQuery, organizationID: String, page: CallPage, into writer: inout JSONWriter) {
        let pagination = Pagination(page: query.page, limit: query.limit, totalCount: page.totalCount)
        writer.object { data in
            data.member("organization_id", organizationID)
            data.member("calls") { value in
                CallJSON.write(page.calls, includeTranscript: query.includeTranscript, into: &value)
            }
            data.member("pagination") { value in
                value.object { object in
                    object.member("page", query.page)
                    object.member("limit", query.limit)
                    object.member("total_count", page.totalCount)
                    object.member("total_pages", pagination.totalPages)
                    object.member("has_next_page", pagination.hasNextPage)
                    object.member("has_previous_page", pagination.hasPreviousPage)
                }
            }
            data.member("returned_count", page.calls.count)
            data.member("sort_order", query.sortOrder.rawValue)
            data.member("sort_by", query.sortBy.rawValue)
            data.member("applied_filters") { value in
                query.filter.writeApplied(into: &value)
            }
        }
    }
}

/// The page arithmetic of API.md, safe for any page number up to `Int64.max`.
public struct Pagination: Sendable, Equatable {
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
        // page + 1 < totalPages ⇔ page < totalPages - 1, and totalPages - 1 cannot overflow.
        hasNextPage = totalPages > 0 && page < totalPages - 1
        hasPreviousPage = page > 0
    }
}
